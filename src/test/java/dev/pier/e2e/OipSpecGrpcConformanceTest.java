package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.pier.protocol.grpc.v2.GrpcPredictV2;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pier's gRPC port called with messages built from the Open Inference Protocol's own {@code open_inference_grpc.proto}
 * (compiled by protoc at test time into a descriptor set, used through {@link DynamicMessage}), and Pier's
 * hand-written V2 proto compared with it field by field (name, number, type, cardinality) so the wire cannot
 * drift. Skips where {@code ../shared/oip-spec} is absent.
 */
@SuppressWarnings("unchecked")
class OipSpecGrpcConformanceTest {
    @TempDir
    static Path dir;

    static PierProcess pier;
    static ManagedChannel channel;
    static ServiceDescriptor spec;
    static TestRepository repo;

    @BeforeAll
    static void start() throws Exception {
        OipSpec.assumePresent();
        Assumptions.assumeTrue(
                Files.isRegularFile(OipSpec.GRPC_DESCRIPTOR),
                "no descriptor set at " + OipSpec.GRPC_DESCRIPTOR
                        + ": the build compiles it from the spec's proto at test-compile time (mvn test-compile)");
        spec = specService();
        repo = new TestRepository(dir.resolve("models"));
        pier = PierProcess.serve("--model-repository", dir.resolve("models").toString());
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", pier.grpcPort())
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (pier != null) {
            pier.close();
        }
    }

    static ServiceDescriptor specService() throws Exception {
        FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(OipSpec.GRPC_DESCRIPTOR));
        Map<String, FileDescriptor> built = new HashMap<>();
        for (FileDescriptorProto p : set.getFileList()) { // protoc lists dependencies first
            FileDescriptor[] deps =
                    p.getDependencyList().stream().map(built::get).toArray(FileDescriptor[]::new);
            built.put(p.getName(), FileDescriptor.buildFrom(p, deps));
        }
        return built.values().stream()
                .map(f -> f.findServiceByName("GRPCInferenceService"))
                .filter(s -> s != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the spec's proto declares no GRPCInferenceService"));
    }

    static DynamicMessage call(String method, Message request) {
        MethodDescriptor m = spec.findMethodByName(method);
        io.grpc.MethodDescriptor<Message, DynamicMessage> md =
                io.grpc.MethodDescriptor.<Message, DynamicMessage>newBuilder()
                        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(spec.getFullName(), method))
                        .setRequestMarshaller(new io.grpc.MethodDescriptor.Marshaller<>() {
                            public java.io.InputStream stream(Message value) {
                                return value.toByteString().newInput();
                            }

                            public Message parse(java.io.InputStream stream) {
                                throw new UnsupportedOperationException();
                            }
                        })
                        .setResponseMarshaller(
                                ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
                        .build();
        return ClientCalls.blockingUnaryCall(
                channel, md, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request);
    }

    static DynamicMessage.Builder message(String method, boolean input) {
        MethodDescriptor m = spec.findMethodByName(method);
        return DynamicMessage.newBuilder(input ? m.getInputType() : m.getOutputType());
    }

    static DynamicMessage.Builder of(Descriptor type) {
        return DynamicMessage.newBuilder(type);
    }

    static Object get(Message m, String field) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(field);
        assertThat(f)
                .as("field %s of %s", field, m.getDescriptorForType().getFullName())
                .isNotNull();
        return m.getField(f);
    }

    static DynamicMessage.Builder set(DynamicMessage.Builder b, String field, Object value) {
        return b.setField(b.getDescriptorForType().findFieldByName(field), value);
    }

    static DynamicMessage.Builder add(DynamicMessage.Builder b, String field, Object value) {
        return b.addRepeatedField(b.getDescriptorForType().findFieldByName(field), value);
    }

    @Test
    void piersV2ProtoHasEveryMessageAndFieldOfTheSpecWithTheSameNumbersAndTypes() {
        FileDescriptor pier = GrpcPredictV2.getDescriptor();
        ServiceDescriptor ours = pier.findServiceByName(spec.getName());
        assertThat(ours.getMethods())
                .extracting(MethodDescriptor::getName)
                .containsExactlyElementsOf(spec.getMethods().stream()
                        .map(MethodDescriptor::getName)
                        .toList());
        for (Descriptor specType : spec.getFile().getMessageTypes()) {
            sameMessage(specType, pier.findMessageTypeByName(specType.getName()));
        }
    }

    private static void sameMessage(Descriptor specType, Descriptor ours) {
        assertThat(ours)
                .as("Pier's proto has message %s", specType.getFullName())
                .isNotNull();
        assertThat(ours.getFullName()).isEqualTo(specType.getFullName());
        for (FieldDescriptor f : specType.getFields()) {
            FieldDescriptor o = ours.findFieldByName(f.getName());
            assertThat(o).as("field %s", f.getFullName()).isNotNull();
            assertThat(o.getNumber()).as("number of %s", f.getFullName()).isEqualTo(f.getNumber());
            assertThat(o.getType()).as("type of %s", f.getFullName()).isEqualTo(f.getType());
            assertThat(o.isRepeated()).as("cardinality of %s", f.getFullName()).isEqualTo(f.isRepeated());
            assertThat(o.isMapField()).as("map-ness of %s", f.getFullName()).isEqualTo(f.isMapField());
            if (f.getType() == FieldDescriptor.Type.MESSAGE) {
                assertThat(o.getMessageType().getFullName())
                        .as("message type of %s", f.getFullName())
                        .isEqualTo(f.getMessageType().getFullName());
            }
            if (f.getRealContainingOneof() != null) {
                assertThat(o.getRealContainingOneof())
                        .as("oneof of %s", f.getFullName())
                        .isNotNull();
                assertThat(o.getRealContainingOneof().getName())
                        .isEqualTo(f.getRealContainingOneof().getName());
            }
        }
        for (Descriptor nested : specType.getNestedTypes()) {
            if (!nested.getOptions().getMapEntry()) {
                sameMessage(nested, ours.findNestedTypeByName(nested.getName()));
            }
        }
    }

    @Test
    void healthMetadataAndReadinessAnswerInTheSpecsMessages() {
        assertThat(get(call("ServerLive", message("ServerLive", true).build()), "live"))
                .isEqualTo(true);
        assertThat(get(call("ServerReady", message("ServerReady", true).build()), "ready"))
                .isEqualTo(true);
        assertThat(get(
                        call(
                                "ModelReady",
                                set(message("ModelReady", true), "name", "mlp").build()),
                        "ready"))
                .isEqualTo(true);
        DynamicMessage server =
                call("ServerMetadata", message("ServerMetadata", true).build());
        assertThat(get(server, "name")).isEqualTo("pier");
        DynamicMessage model = call(
                "ModelMetadata",
                set(set(message("ModelMetadata", true), "name", "mlp"), "version", "2")
                        .build());
        assertThat(get(model, "name")).isEqualTo("mlp");
        assertThat(get(model, "platform")).isEqualTo("onnxruntime_onnx");
        assertThat((List<Object>) get(model, "versions")).contains("1", "2");
        Message input = (Message) ((List<Object>) get(model, "inputs")).get(0);
        assertThat(get(input, "name")).isEqualTo("x");
        assertThat(get(input, "datatype")).isEqualTo("FP32");
        assertThat((List<Object>) get(input, "shape")).containsExactly(-1L, (long) TestRepository.IN);
    }

    @Test
    void modelInferWithTypedAndRawContentsAnswersWhatTheModelComputes() {
        float[] x = {0.5f, -1f, 2f, 0.25f, 0f, 1f};
        double[] expected = repo.mlp(1, x);
        Descriptor request = spec.findMethodByName("ModelInfer").getInputType();
        Descriptor inputType = request.findNestedTypeByName("InferInputTensor");
        Descriptor contentsType = inputType.findFieldByName("contents").getMessageType();

        DynamicMessage.Builder typedContents = of(contentsType);
        ByteBuffer raw = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            add(typedContents, "fp32_contents", v);
            raw.putFloat(v);
        }
        DynamicMessage.Builder input = add(
                add(set(set(of(inputType), "name", "x"), "datatype", "FP32"), "shape", 1L), "shape", (long) x.length);
        DynamicMessage typed = add(
                        set(set(set(of(request), "model_name", "mlp"), "model_version", "1"), "id", "spec-typed"),
                        "inputs",
                        input.clone()
                                .setField(inputType.findFieldByName("contents"), typedContents.build())
                                .build())
                .build();
        DynamicMessage rawRequest = add(
                        add(set(set(of(request), "model_name", "mlp"), "model_version", "1"), "inputs", input.build()),
                        "raw_input_contents",
                        ByteString.copyFrom(raw.array()))
                .build();
        for (DynamicMessage r : List.of(typed, rawRequest)) {
            DynamicMessage answer = call("ModelInfer", r);
            assertThat(get(answer, "model_name")).isEqualTo("mlp");
            assertThat(get(answer, "model_version")).isEqualTo("1");
            Message out = (Message) ((List<Object>) get(answer, "outputs")).get(0);
            assertThat(get(out, "name")).isEqualTo("probs");
            assertThat(get(out, "datatype")).isEqualTo("FP32");
            assertThat((List<Object>) get(out, "shape")).containsExactly(1L, (long) TestRepository.OUT);
            ByteString bytes = (ByteString) ((List<Object>) get(answer, "raw_output_contents")).get(0);
            ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (double e : expected) {
                assertThat((double) b.getFloat()).isCloseTo(e, org.assertj.core.api.Assertions.within(1e-5));
            }
        }
        assertThat(get(call("ModelInfer", typed), "id")).isEqualTo("spec-typed");
    }
}
