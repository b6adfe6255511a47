package dev.pier.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.train.TrainOptions;
import dev.pier.train.TrainingListener;
import dev.pier.train.TrainingResult;
import dev.pier.train.TrainingService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pier train}'s service writes the exported model's profile on its validation split. */
class TrainingProfileTest {

    @Test
    void trainingWritesTheValidationSplitProfileBesideTheModel(@TempDir Path dir) throws Exception {
        LabeledData data = Mnist.load(Mnist.Split.TRAIN, 1_000, MnistFetcher.defaultDir(), Shape.of(784));
        TrainOptions options = TrainOptions.defaults().toBuilder()
                .architecture("mlp:16")
                .epochs(1)
                .seed(3)
                .validationSplit(0.25)
                .output(dir.resolve("v1/model.onnx"))
                .build();
        TrainingResult result = new TrainingService().train(data, options, TrainingListener.NONE);

        assertThat(result.profile())
                .isEqualTo(dir.resolve("v1/model.profile.json").toAbsolutePath());
        ReferenceProfile profile = Profiles.read(result.profile());
        LabeledData validation = TrainingService.validationSplit(data, options);
        assertThat(profile.rows()).isEqualTo(250).isEqualTo(validation.count());
        double sum = 0;
        for (float v : validation.features()) {
            sum += v;
        }
        assertThat(profile.stats("mean_intensity").mean()).isCloseTo(sum / validation.features().length, within(1e-6));

        TrainingResult without = new TrainingService(false)
                .train(
                        data,
                        options.toBuilder().output(dir.resolve("v2/model.onnx")).build(),
                        TrainingListener.NONE);
        assertThat(without.profile()).isNull();
        assertThat(dir.resolve("v2/model.profile.json")).doesNotExist();
    }
}
