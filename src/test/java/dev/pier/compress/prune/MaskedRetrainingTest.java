package dev.pier.compress.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Shape;
import dev.pier.compress.CompressionReport;
import dev.pier.compress.CompressionService;
import dev.pier.compress.TestModels;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune → retrain with fixed masks on real MNIST: sparsity survives retraining and accuracy recovers. */
class MaskedRetrainingTest {
    @TempDir
    Path dir;

    @Test
    void retrainingKeepsMasksAndRecoversAccuracy() throws Exception {
        LabeledData evaluation = TestModels.evaluation();
        LabeledData train = Mnist.load("mnist:train:3000", MnistFetcher.defaultDir(), Shape.of(784));
        Path input = TestModels.trainedMlp();
        String hash = TestModels.sha256(input);
        PruneOptions options = PruneOptions.magnitude(0.95);
        try (OrtEngine engine = new OrtEngine()) {
            CompressionService service = new CompressionService(engine);
            CompressionReport pruned = service.run(
                    new CompressionService.Request(
                            input, dir.resolve("p.onnx"), evaluation, TestModels.quickEvaluate(), Optional.empty()),
                    new MagnitudePruner(options));
            Path out = dir.resolve("pr.onnx");
            CompressionReport retrained = service.run(
                    new CompressionService.Request(
                            input, out, evaluation, TestModels.quickEvaluate(), Optional.empty()),
                    new MaskedRetraining(new MagnitudePruner(options), train, 2, 1e-3f, 11));
            OnnxModel model = OnnxModelReader.read(out);
            for (TensorProto t : model.initializers()) {
                if (t.getDimsCount() == 2) {
                    float[] w = model.initializerFloats(t.getName());
                    long zeros = 0;
                    for (float v : w) {
                        zeros += v == 0f ? 1 : 0;
                    }
                    assertThat(zeros).as(t.getName()).isGreaterThanOrEqualTo((long) Math.ceil(0.95 * w.length));
                }
            }
            System.out.printf(
                    "accuracy dense %.4f, pruned 95%% %.4f, pruned+retrained %.4f%n",
                    pruned.before().accuracy(),
                    pruned.after().accuracy(),
                    retrained.after().accuracy());
            // a rate of 1e-3 (not Han's 1e-4) so two short epochs suffice; the margin is far above seed-to-seed noise
            assertThat(retrained.after().accuracy())
                    .isGreaterThan(pruned.after().accuracy() + 0.1);
            assertThat(TestModels.sha256(input)).isEqualTo(hash);
        }
    }
}
