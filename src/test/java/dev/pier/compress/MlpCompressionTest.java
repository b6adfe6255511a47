package dev.pier.compress;

import dev.pier.data.LabeledData;
import dev.pier.onnx.SparseStorage;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the compression tests on the MNIST-trained MLP share: one ONNX Runtime engine per test class, the first
 * 1,000 MNIST test images to evaluate on, a temporary folder, and one call to run a strategy through
 * {@link CompressionService} with quick latency settings.
 */
public abstract class MlpCompressionTest {
    protected static OrtEngine engine;
    protected static LabeledData evaluation;

    @TempDir
    protected Path dir;

    @BeforeAll
    static void openEngine() throws Exception {
        engine = new OrtEngine();
        evaluation = TestModels.evaluation();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    protected static CompressionReport compress(
            Path input, Path out, CompressionStrategy strategy, Optional<SparseStorage.IndexType> sparse) {
        return new CompressionService(engine)
                .run(
                        new CompressionService.Request(
                                input,
                                out,
                                evaluation,
                                TestModels.quickEvaluate(),
                                Optional.empty(),
                                Optional.empty(),
                                sparse),
                        strategy);
    }
}
