package dev.pier.protocol.tfserving;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.FuzzProperty;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the TF Serving predict decoder (row and columnar formats) against a fixed signature
 * with a float, an int64 and a string input, so every typed path can be reached. Seeds under
 * {@code TfPredictDecoderFuzzTestInputs/predict/}. Property: {@link FuzzProperty#decodesOrRefuses}.
 */
class TfPredictDecoderFuzzTest {
    private static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(
                    new TensorSpec("x", DataType.FP32, Shape.of(-1, 2)),
                    new TensorSpec("k", DataType.INT64, Shape.of(-1)),
                    new TensorSpec("s", DataType.BYTES, Shape.of(-1, 1))),
            List.of(new TensorSpec("y", DataType.FP32, Shape.of(-1, 2))));

    @FuzzTest(maxDuration = "60s", maxExecutions = 5_000_000)
    @Timeout(value = 10, unit = TimeUnit.SECONDS) // per input: Jazzer turns it into libFuzzer's -timeout (a hang)
    void predict(byte[] body) {
        FuzzProperty.decodesOrRefuses(() -> TfPredictDecoder.decode(body, SIGNATURE, "m", OptionalLong.empty())
                .request());
    }
}
