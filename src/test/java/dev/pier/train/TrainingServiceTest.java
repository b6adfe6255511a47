package dev.pier.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains small networks on real MNIST images. */
class TrainingServiceTest {
    static LabeledData train;
    static LabeledData heldOut;

    @BeforeAll
    static void load() throws Exception {
        train = Mnist.load("mnist:train:3000", MnistFetcher.defaultDir(), Shape.of(784));
        heldOut = Mnist.load("mnist:test:1000", MnistFetcher.defaultDir(), Shape.of(784));
    }

    private static TrainOptions options(Path dir) {
        return TrainOptions.defaults().toBuilder()
                .architecture("mlp:32")
                .epochs(2)
                .seed(7)
                .output(dir.resolve("m.onnx"))
                .build();
    }

    @Test
    void learnsWellAboveChanceAndIsReproducible(@TempDir Path a, @TempDir Path b) throws Exception {
        TrainingService service = new TrainingService();
        Architecture arch = Architectures.parse("mlp:32", 10);
        float[] first;
        float[] second;
        TrainingLog log;
        try (DjlNetwork net = service.newNetwork(arch, train, 7)) {
            log = service.fit(net, train, options(a), TrainingListener.NONE);
            first = net.logits(heldOut.features(), heldOut.count());
        }
        try (DjlNetwork net = service.newNetwork(arch, train, 7)) {
            service.fit(net, train, options(b), TrainingListener.NONE);
            second = net.logits(heldOut.features(), heldOut.count());
        }
        assertThat(accuracy(first, heldOut)).isGreaterThan(0.8);
        assertThat(second).containsExactly(first);
        assertThat(log.epochs()).hasSize(2);
        assertThat(log.trainExamples()).isEqualTo(2400);
        assertThat(log.validationExamples()).isEqualTo(600);
        assertThat(log.epochs().get(1).trainLoss())
                .isLessThan(log.epochs().get(0).trainLoss());
        assertThat(log.epochs().get(1).validationAccuracy()).isGreaterThan(0.8);
    }

    @Test
    void earlyStoppingKeepsTheBestEpochsWeights(@TempDir Path dir) throws Exception {
        LabeledData base = Mnist.load("mnist:train:600", MnistFetcher.defaultDir(), Shape.of(784));
        // Mislabel exactly the validation part, so fitting the training part makes validation loss rise.
        DataSplit split = DataSplit.of(base, 0.2, 5);
        int[] labels = base.labels().clone();
        for (int i : split.validation()) {
            labels[i] = (labels[i] + 1) % 10;
        }
        LabeledData data = new LabeledData("mislabelled", base.features(), base.exampleShape(), labels, 10);
        TrainOptions options = TrainOptions.defaults().toBuilder()
                .architecture("mlp:32")
                .epochs(8)
                .patience(2)
                .seed(5)
                .output(dir.resolve("es.onnx"))
                .build();
        TrainingService service = new TrainingService();
        try (DjlNetwork net = service.newNetwork(Architectures.parse("mlp:32", 10), data, 5)) {
            TrainingLog log = service.fit(net, data, options, TrainingListener.NONE);
            assertThat(log.stoppedEarly()).isTrue();
            assertThat(log.epochs()).hasSize(log.bestEpoch() + 2);
            // The network holds the best epoch's weights: its validation loss, recomputed here, is the logged one.
            float[] features = DataSplit.gather(data, split.validation(), 0, split.validation().length);
            float[] logits = net.logits(features, split.validation().length);
            double loss = 0;
            for (int n = 0; n < split.validation().length; n++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 10; c++) {
                    max = Math.max(max, logits[n * 10 + c]);
                }
                double sum = 0;
                for (int c = 0; c < 10; c++) {
                    sum += Math.exp(logits[n * 10 + c] - max);
                }
                loss += -(logits[n * 10 + labels[split.validation()[n]]] - max - Math.log(sum));
            }
            loss /= split.validation().length;
            assertThat(loss).isCloseTo(log.exported().validationLoss(), org.assertj.core.data.Offset.offset(1e-4));
            assertThat(log.exported().validationLoss())
                    .isLessThan(log.epochs().getLast().validationLoss());
        }
    }

    static double accuracy(float[] logits, LabeledData data) {
        int k = data.numClasses();
        int correct = 0;
        for (int i = 0; i < data.count(); i++) {
            int arg = 0;
            for (int c = 1; c < k; c++) {
                if (logits[i * k + c] > logits[i * k + arg]) {
                    arg = c;
                }
            }
            correct += arg == data.labels()[i] ? 1 : 0;
        }
        return correct / (double) data.count();
    }
}
