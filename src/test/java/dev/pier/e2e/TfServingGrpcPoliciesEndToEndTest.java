package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Message;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.protocol.grpc.health.HealthCheckRequest;
import dev.pier.protocol.grpc.health.HealthCheckResponse;
import dev.pier.protocol.grpc.reflection.v1.ServerReflectionRequest;
import dev.pier.protocol.grpc.reflection.v1.ServerReflectionResponse;
import dev.pier.protocol.tfserving.proto.DataType;
import dev.pier.protocol.tfserving.proto.ModelSpec;
import dev.pier.protocol.tfserving.proto.PredictRequest;
import dev.pier.protocol.tfserving.proto.PredictResponse;
import dev.pier.protocol.tfserving.proto.TensorProto;
import dev.pier.protocol.tfserving.proto.TensorShapeProto;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TF Serving's gRPC API gets the server's policies with no logic of its own: the inference token where tokens are
 * on (reflection too; health stays open), the traffic split for requests that name no version, version labels,
 * and each answer naming the version that computed it, checked against the model's own arithmetic.
 */
class TfServingGrpcPoliciesEndToEndTest {
    static final int N = 60;

    @TempDir
    Path dir;

    @Test
    void tokensTrafficSplitAndLabelsApplyToTfServingGrpcAsToTheOtherProtocols() throws Exception {
        Path repo = dir.resolve("models");
        Map<Long, DenseLayer[]> layers = new HashMap<>();
        for (long v = 1; v <= 2; v++) {
            SplittableRandom r = new SplittableRandom(40 + v);
            DenseLayer[] l = {
                TestRepository.layer(6, 5, Activation.RELU, r), TestRepository.layer(5, 3, Activation.SOFTMAX, r)
            };
            Path file = repo.resolve("split").resolve(Long.toString(v)).resolve("model.onnx");
            Files.createDirectories(file.getParent());
            OnnxNetworks.mlp("split", "x", "probs", List.of(l)).save(file);
            layers.put(v, l);
        }
        Files.writeString(
                repo.resolve("split").resolve("config.yaml"),
                "version_policy: {all: {}}\ntraffic: {1: 50, 2: 50}\nversion_labels: {stable: 1, canary: 2}\n");
        Files.writeString(dir.resolve("token"), "tf-secret\n");
        float[] x = {0.3f, 0.1f, 0.9f, 0.4f, 0.6f, 0.2f};
        TensorProto input = TensorProto.newBuilder()
                .setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(6)))
                .addAllFloatVal(List.of(0.3f, 0.1f, 0.9f, 0.4f, 0.6f, 0.2f))
                .build();

        try (PierProcess pier = PierProcess.serve(
                "--model-repository",
                repo.toString(),
                "--auth-token-file",
                dir.resolve("token").toString())) {
            ManagedChannel open = ManagedChannelBuilder.forAddress("127.0.0.1", pier.grpcPort())
                    .usePlaintext()
                    .build();
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer tf-secret");
            io.grpc.Channel withToken =
                    io.grpc.ClientInterceptors.intercept(open, MetadataUtils.newAttachHeadersInterceptor(auth));
            try {
                PredictRequest unversioned = PredictRequest.newBuilder()
                        .setModelSpec(ModelSpec.newBuilder().setName("split"))
                        .putInputs("x", input)
                        .build();
                assertThatThrownBy(() -> unary(
                                open,
                                "tensorflow.serving.PredictionService",
                                "Predict",
                                unversioned,
                                PredictResponse.getDefaultInstance()))
                        .isInstanceOfSatisfying(
                                StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
                Iterator<ServerReflectionResponse> refused = ClientCalls.blockingServerStreamingCall(
                        open.newCall(reflection(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                        ServerReflectionRequest.newBuilder().setListServices("").build());
                assertThatThrownBy(refused::next)
                        .isInstanceOfSatisfying(
                                StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
                HealthCheckResponse health = unary(
                        open,
                        "grpc.health.v1.Health",
                        "Check",
                        HealthCheckRequest.newBuilder()
                                .setService("tensorflow.serving.PredictionService")
                                .build(),
                        HealthCheckResponse.getDefaultInstance());
                assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

                int byTwo = 0;
                for (int i = 0; i < N; i++) {
                    PredictResponse r = unary(
                            withToken,
                            "tensorflow.serving.PredictionService",
                            "Predict",
                            unversioned,
                            PredictResponse.getDefaultInstance());
                    long v = r.getModelSpec().getVersion().getValue();
                    assertProbs(r, TestRepository.forward(layers.get(v), x));
                    byTwo += v == 2 ? 1 : 0;
                }
                double sigma = Math.sqrt(N * 0.25);
                assertThat((double) byTwo)
                        .as("unversioned requests served by version 2 of %d", N)
                        .isCloseTo(N * 0.5, within(5 * sigma));
                for (String label : List.of("stable", "canary")) {
                    long expected = label.equals("stable") ? 1 : 2;
                    PredictResponse r = unary(
                            withToken,
                            "tensorflow.serving.PredictionService",
                            "Predict",
                            unversioned.toBuilder()
                                    .setModelSpec(ModelSpec.newBuilder()
                                            .setName("split")
                                            .setVersionLabel(label))
                                    .build(),
                            PredictResponse.getDefaultInstance());
                    assertThat(r.getModelSpec().getVersion().getValue()).isEqualTo(expected);
                    assertProbs(r, TestRepository.forward(layers.get(expected), x));
                }
                Iterator<ServerReflectionResponse> listed = ClientCalls.blockingServerStreamingCall(
                        withToken.newCall(reflection(), CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                        ServerReflectionRequest.newBuilder().setListServices("").build());
                assertThat(listed.next().getListServicesResponse().getServiceCount())
                        .isGreaterThanOrEqualTo(6);
            } finally {
                open.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void assertProbs(PredictResponse r, double[] expected) {
        ByteBuffer b = r.getOutputsOrThrow("probs")
                .getTensorContent()
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        for (double e : expected) {
            assertThat((double) b.getFloat()).isCloseTo(e, within(1e-5));
        }
    }

    /** Reflection as a server-streaming call: one request, the client half-closes, the answers stream back. */
    private static MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> reflection() {
        return MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
                .setFullMethodName("grpc.reflection.v1.ServerReflection/ServerReflectionInfo")
                .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance()))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static <R extends Message> R unary(
            io.grpc.Channel channel, String service, String method, Message request, R responseType) {
        MethodDescriptor<Message, R> md = MethodDescriptor.<Message, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller((MethodDescriptor.Marshaller<Message>)
                        (MethodDescriptor.Marshaller<?>) ProtoUtils.marshaller(request.getDefaultInstanceForType()))
                .setResponseMarshaller(ProtoUtils.marshaller(responseType))
                .build();
        return ClientCalls.blockingUnaryCall(
                channel, md, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request);
    }
}
