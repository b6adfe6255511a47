package dev.pier.protocol.grpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.pier.protocol.FuzzProperty;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the gRPC request mapping: random bytes are parsed as a {@link ModelInferRequest}
 * (bytes protobuf refuses never reach Pier: gRPC answers those itself) and mapped with
 * {@link V2GrpcMapper#toInferRequest}. Seeds (serialized requests) under
 * {@code V2GrpcMapperFuzzTestInputs/inferRequest/}. Property: {@link FuzzProperty#decodesOrRefuses}.
 */
class V2GrpcMapperFuzzTest {

    @FuzzTest(maxDuration = "60s", maxExecutions = 5_000_000)
    @Timeout(value = 10, unit = TimeUnit.SECONDS) // per input: Jazzer turns it into libFuzzer's -timeout (a hang)
    void inferRequest(byte[] wire) {
        ModelInferRequest request;
        try {
            request = ModelInferRequest.parseFrom(wire);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        FuzzProperty.decodesOrRefuses(() -> V2GrpcMapper.toInferRequest(request));
    }
}
