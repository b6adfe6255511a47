package dev.pier.protocol.tfserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.FuzzProperty;
import dev.pier.protocol.tfserving.proto.PredictRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of TF Serving gRPC's Predict mapping: random bytes parsed as a {@link PredictRequest}
 * (bytes protobuf refuses are answered INVALID_ARGUMENT before Pier reads them) and mapped with
 * {@link TfGrpcMapper#toInferRequest} against a signature with a float, an int64 and a string input. Property:
 * {@link FuzzProperty#decodesOrRefuses}, where TF Serving's own FAILED_PRECONDITION (unknown signature) counts as a
 * refusal too. Seeds under {@code TfGrpcMapperFuzzTestInputs/predict/}.
 */
class TfGrpcMapperFuzzTest {
    static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(
                    new TensorSpec("x", DataType.FP32, Shape.of(-1, 3)),
                    new TensorSpec("n", DataType.INT64, Shape.of(-1)),
                    new TensorSpec("s", DataType.BYTES, Shape.of(-1))),
            List.of(new TensorSpec("y", DataType.FP32, Shape.of(-1, 2))));

    @FuzzTest(maxDuration = "60s", maxExecutions = 5_000_000)
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void predict(byte[] wire) {
        PredictRequest request;
        try {
            request = PredictRequest.parseFrom(wire);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        FuzzProperty.decodesOrRefuses(() -> {
            try {
                return TfGrpcMapper.toInferRequest(request, "m", 1, SIGNATURE);
            } catch (TfStatusException e) {
                assertThat(e.getMessage()).isNotBlank();
                return TfGrpcMapper.toInferRequest(
                        request.toBuilder()
                                .setModelSpec(request.getModelSpec().toBuilder().clearSignatureName())
                                .build(),
                        "m",
                        1,
                        SIGNATURE);
            }
        });
    }
}
