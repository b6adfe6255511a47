import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.protocol.codec.ByteSlice;
import dev.pier.protocol.grpc.LenientDecoder;
import dev.pier.protocol.grpc.V2GrpcMapper;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.kserve.V2Codec;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.WireFormat;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Pier's own protocol work per request on the ledger's V2 gRPC and V2 REST binary rows, without the server around
 * it (issue 13): decode the request body as the server does, then encode a 10-float answer as the server does.
 * Reports this thread's CPU time and bytes allocated per request (ThreadMXBean), which other processes' load on a
 * shared machine does not inflate the way it inflates wall-clock rates. Run once per build to compare:
 * {@code java -cp BUILD.jar:$(cat target/runtime-classpath.txt) bench/ProtocolCodecCost.java DIR} where DIR holds
 * {@code mnist.grpc}, {@code mnist-v2.bin} and {@code mnist-v2.bin.len} from
 * {@code bench/ledger_tools.py inputs mnist 784 1 DIR}. Arguments after DIR: rounds (5), requests per round (200000).
 */
public class ProtocolCodecCost {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        byte[] frame = Files.readAllBytes(dir.resolve("mnist.grpc"));
        byte[] grpcBody = java.util.Arrays.copyOfRange(frame, 5, frame.length); // after the 5-byte gRPC prefix
        byte[] binaryBody = Files.readAllBytes(dir.resolve("mnist-v2.bin"));
        int jsonLength = Integer.parseInt(Files.readString(dir.resolve("mnist-v2.bin.len")).trim());
        float[] tenFloats = new float[10];
        for (int i = 0; i < 10; i++) {
            tenFloats[i] = 0.1f * i - 0.3f;
        }
        LenientDecoder<ModelInferRequest> decoder = new LenientDecoder<>(ModelInferRequest.getDefaultInstance());
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        for (int round = 0; round <= rounds; round++) { // round 0 warms up
            for (String row : List.of("grpc", "binary")) {
                long cpu0 = bean.getCurrentThreadCpuTime();
                long alloc0 = bean.getThreadAllocatedBytes(self);
                for (int i = 0; i < n; i++) {
                    if (row.equals("grpc")) {
                        // as the gRPC server hands a message over: its own heap buffer
                        GrpcMessage msg = GrpcMessage.message("identity", WireFormat.PROTOBUF, Buffer.buffer(grpcBody));
                        InferRequest request = V2GrpcMapper.toInferRequest(decoder.decode(msg).message());
                        InferResponse response = answer(request, tenFloats);
                        sink = V2GrpcMapper.toProto(response).toByteArray(); // as GrpcMessageEncoder serializes it
                    } else {
                        InferRequest request = V2Codec.decodeRequest(
                                new ByteSlice(binaryBody, 0, binaryBody.length), jsonLength, "mnist", OptionalLong.empty());
                        sink = V2Codec.encodeResponse(answer(request, tenFloats), request).body();
                    }
                }
                long cpu = bean.getCurrentThreadCpuTime() - cpu0;
                long alloc = bean.getThreadAllocatedBytes(self) - alloc0;
                if (round > 0) {
                    System.out.printf("%s round %d: %.2f µs CPU, %,d B allocated per request%n",
                            row, round, cpu / 1e3 / n, alloc / n);
                }
            }
        }
    }

    private static InferResponse answer(InferRequest request, float[] values) {
        if (request.inputs().get(0).packed().byteLength() != 784 * 4) {
            throw new IllegalStateException("the input did not decode to 784 floats");
        }
        return new InferResponse(request.id(), request.model(), 1,
                List.of(Tensor.ofFloats("output", Shape.of(1, 10), values)), Map.of());
    }
}
