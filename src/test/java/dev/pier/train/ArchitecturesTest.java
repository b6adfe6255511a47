package dev.pier.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.train.LayerSpec.Activation;
import dev.pier.train.LayerSpec.ActivationKind;
import dev.pier.train.LayerSpec.Conv2d;
import dev.pier.train.LayerSpec.Dense;
import dev.pier.train.LayerSpec.Flatten;
import dev.pier.train.LayerSpec.Pool;
import dev.pier.train.LayerSpec.PoolKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Architecture specs and learning-rate schedules: plain Java, no engine. */
class ArchitecturesTest {
    static final Activation RELU = new Activation(ActivationKind.RELU);

    @Test
    void builtInSpecs() throws Exception {
        assertThat(Architectures.parse("mlp:300,100", 10).layers())
                .containsExactly(new Flatten(), new Dense(300), RELU, new Dense(100), RELU, new Dense(10));
        Architecture lenet = Architectures.parse("lenet5", 10);
        assertThat(lenet.wantsImages()).isTrue();
        assertThat(lenet.layers())
                .containsExactly(
                        new Conv2d(6, 5, 1, 2),
                        RELU,
                        new Pool(PoolKind.MAX, 2, 2, 0),
                        new Conv2d(16, 5, 1, 0),
                        RELU,
                        new Pool(PoolKind.MAX, 2, 2, 0),
                        new Flatten(),
                        new Dense(120),
                        RELU,
                        new Dense(84),
                        RELU,
                        new Dense(10));
        assertThat(Architectures.parse("lenet5-caffe", 10).layers())
                .contains(new Conv2d(20, 5, 1, 0), new Conv2d(50, 5, 1, 0), new Dense(500));
        assertThat(Architectures.parse("mlp:128", 10).wantsImages()).isFalse();
    }

    @Test
    void yamlLayersAndErrors(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("net.yaml");
        Files.writeString(
                ok,
                "layers:\n  - conv2d: {filters: 8, kernel: 3, padding: 1}\n  - tanh\n  - avgpool: 2\n"
                        + "  - batch_norm\n  - flatten\n  - dropout: 0.25\n  - dense: 10\n  - softmax\n");
        assertThat(Architectures.parse(ok.toString(), 10).layers())
                .containsExactly(
                        new Conv2d(8, 3, 1, 1),
                        new Activation(ActivationKind.TANH),
                        new Pool(PoolKind.AVG, 2, 2, 0),
                        new LayerSpec.BatchNorm(1e-5f, 0.9f),
                        new Flatten(),
                        new LayerSpec.Dropout(0.25f),
                        new Dense(10));

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "layers:\n  - dense: 10\n  - swish\n");
        assertThatThrownBy(() -> Architectures.fromYaml(bad))
                .hasMessageContaining("layer 2")
                .hasMessageContaining("'swish'");
        Files.writeString(bad, "layers:\n  - conv2d: {kernel: 3}\n");
        assertThatThrownBy(() -> Architectures.fromYaml(bad)).hasMessageContaining("missing 'filters'");
        assertThatThrownBy(() -> Architectures.parse("mlp:12x", 10)).hasMessageContaining("'12x'");
        assertThatThrownBy(() -> Architectures.parse("resnet50", 10))
                .hasMessageContaining("unknown architecture 'resnet50'");
    }

    @Test
    void schedules() {
        TrainOptions step = TrainOptions.defaults().toBuilder()
                .learningRate(0.1f)
                .schedule(TrainOptions.Schedule.STEP)
                .stepEpochs(2)
                .stepGamma(0.5f)
                .build();
        assertThat(List.of(
                        Optimizers.rate(step, 0.1f, 0),
                        Optimizers.rate(step, 0.1f, 1.9),
                        Optimizers.rate(step, 0.1f, 2),
                        Optimizers.rate(step, 0.1f, 4.5)))
                .containsExactly(0.1f, 0.1f, 0.05f, 0.025f);
        TrainOptions cos = step.toBuilder()
                .schedule(TrainOptions.Schedule.COSINE)
                .epochs(4)
                .build();
        assertThat(Optimizers.rate(cos, 0.1f, 0)).isEqualTo(0.1f);
        assertThat(Optimizers.rate(cos, 0.1f, 2)).isCloseTo(0.05f, within(1e-7f));
        assertThat(Optimizers.rate(cos, 0.1f, 4)).isCloseTo(0f, within(1e-7f));
        assertThatThrownBy(() ->
                        TrainOptions.defaults().toBuilder().validationSplit(1.0).build())
                .hasMessageContaining("validation split must be in [0, 1), got 1.0");
    }
}
