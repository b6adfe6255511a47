package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Int64Value;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import dev.pier.protocol.grpc.reflection.v1.ServerReflectionRequest;
import dev.pier.protocol.grpc.reflection.v1.ServerReflectionResponse;
import dev.pier.protocol.tfserving.proto.ClassificationRequest;
import dev.pier.protocol.tfserving.proto.ClassificationResponse;
import dev.pier.protocol.tfserving.proto.DataType;
import dev.pier.protocol.tfserving.proto.GetModelMetadataRequest;
import dev.pier.protocol.tfserving.proto.GetModelMetadataResponse;
import dev.pier.protocol.tfserving.proto.GetModelStatusRequest;
import dev.pier.protocol.tfserving.proto.GetModelStatusResponse;
import dev.pier.protocol.tfserving.proto.ModelSpec;
import dev.pier.protocol.tfserving.proto.ModelVersionStatus;
import dev.pier.protocol.tfserving.proto.PredictRequest;
import dev.pier.protocol.tfserving.proto.PredictResponse;
import dev.pier.protocol.tfserving.proto.ReloadConfigRequest;
import dev.pier.protocol.tfserving.proto.ReloadConfigResponse;
import dev.pier.protocol.tfserving.proto.SignatureDef;
import dev.pier.protocol.tfserving.proto.SignatureDefMap;
import dev.pier.protocol.tfserving.proto.TensorProto;
import dev.pier.protocol.tfserving.proto.TensorShapeProto;
import dev.pier.security.AccessPolicy;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's specification of TF Serving's gRPC API: {@code pier serve} as a real process, called through grpc-java
 * with TF Serving's messages (field numbers as TF Serving's protos), answers Predict on real MNIST images exactly as
 * its TF Serving REST {@code :predict} does, reports metadata and status as TF Serving does, gives TF Serving's
 * statuses for mistakes, and lists every service through gRPC server reflection (v1 and v1alpha).
 */
class TfServingGrpcEndToEndTest {
    static final String PREDICTION = "tensorflow.serving.PredictionService";
    static final String MODEL_SERVICE = "tensorflow.serving.ModelService";

    @TempDir
    static Path dir;

    static PierProcess pier;
    static Http http;
    static GrpcCalls grpc;
    static LabeledData images;

    @BeforeAll
    static void start() throws Exception {
        Path models = dir.resolve("models");
        new TestRepository(models);
        ExampleModels.writeMnistRepository(models, 5);
        Files.writeString(models.resolve("mnist").resolve("config.yaml"), "version_labels: {stable: 1}\n");
        images = Mnist.load(Mnist.Split.TEST, 3, MnistFetcher.defaultDir(), Shape.of(784));
        pier = PierProcess.serve("--model-repository", models.toString());
        http = new Http(pier.httpPort());
        grpc = new GrpcCalls(pier.grpcPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
        if (pier != null) {
            pier.close();
        }
    }

    static ModelSpec spec(String model) {
        return ModelSpec.newBuilder().setName(model).build();
    }

    static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (long d : dims) {
            b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return b.build();
    }

    static TensorProto mnistContent() {
        ByteBuffer b = ByteBuffer.allocate(images.features().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : images.features()) {
            b.putFloat(f);
        }
        return TensorProto.newBuilder()
                .setDtype(DataType.DT_FLOAT)
                .setTensorShape(shape(images.count(), 784))
                .setTensorContent(ByteString.copyFrom(b.array()))
                .build();
    }

    static TensorProto mnistFloatVal() {
        TensorProto.Builder t =
                TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(images.count(), 784));
        for (float f : images.features()) {
            t.addFloatVal(f);
        }
        return t.build();
    }

    static PredictResponse predict(PredictRequest r) {
        return grpc.call(PREDICTION, "Predict", r, PredictResponse.getDefaultInstance());
    }

    @Test
    void predictOnMnistEqualsTheRestPredictAnswerFromTensorContentAndFromFloatVal() throws Exception {
        float[] rest = MnistRestAnswers.predictions(http, images);
        assertThat(rest).hasSize(images.count() * 10);
        for (TensorProto input : List.of(mnistContent(), mnistFloatVal())) {
            PredictResponse r = predict(PredictRequest.newBuilder()
                    .setModelSpec(spec("mnist"))
                    .putInputs(ExampleModels.MNIST_INPUT, input)
                    .build());
            assertThat(r.getModelSpec().getName()).isEqualTo("mnist");
            assertThat(r.getModelSpec().getVersion().getValue()).isEqualTo(1);
            assertThat(r.getModelSpec().getSignatureName()).isEqualTo("serving_default");
            TensorProto out = r.getOutputsOrThrow(ExampleModels.MNIST_OUTPUT);
            assertThat(out.getDtype()).isEqualTo(DataType.DT_FLOAT);
            assertThat(out.getTensorShape()).isEqualTo(shape(images.count(), 10));
            assertThat(MnistRestAnswers.littleEndianFloats(out.getTensorContent()))
                    .containsExactly(rest);
        }
    }

    @Test
    void aVersionNumberOrLabelPicksTheVersionAndTheAnswerNamesIt() {
        for (ModelSpec s : List.of(
                spec("mnist").toBuilder().setVersion(Int64Value.of(1)).build(),
                spec("mnist").toBuilder().setVersionLabel("stable").build())) {
            PredictResponse r = predict(PredictRequest.newBuilder()
                    .setModelSpec(s)
                    .putInputs(ExampleModels.MNIST_INPUT, mnistContent())
                    .build());
            assertThat(r.getModelSpec().getVersion().getValue()).isEqualTo(1);
            assertThat(r.getModelSpec().getVersionChoiceCase()).isEqualTo(ModelSpec.VersionChoiceCase.VERSION);
        }
        // mlp has versions 1 and 2, all served: version 1 is asked and answers
        PredictResponse one = predict(PredictRequest.newBuilder()
                .setModelSpec(spec("mlp").toBuilder().setVersion(Int64Value.of(1)))
                .putInputs(
                        "x",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_FLOAT)
                                .setTensorShape(shape(1, 6))
                                .addAllFloatVal(List.of(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f))
                                .build())
                .build());
        assertThat(one.getModelSpec().getVersion().getValue()).isEqualTo(1);
        assertThat(MnistRestAnswers.littleEndianFloats(
                        one.getOutputsOrThrow("probs").getTensorContent()))
                .hasSize(3);
    }

    @Test
    void int64StringAndMultiOutputModelsReadTheirTypedFieldsAndTheOutputFilterKeepsOnlyWhatIsAsked() {
        PredictResponse ints = predict(PredictRequest.newBuilder()
                .setModelSpec(spec("ints"))
                .putInputs(
                        "x",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_INT64)
                                .setTensorShape(shape(1, 4))
                                .addAllInt64Val(List.of(1L, -2L, 3L, 1L << 40))
                                .build())
                .build());
        TensorProto y = ints.getOutputsOrThrow("y");
        assertThat(y.getDtype()).isEqualTo(DataType.DT_INT64);
        long[] got = new long[4];
        y.getTensorContent()
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer()
                .get(got);
        assertThat(got).containsExactly(2L, -4L, 6L, 1L << 41);

        PredictResponse strings = predict(PredictRequest.newBuilder()
                .setModelSpec(spec("strings"))
                .putInputs(
                        "s",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_STRING)
                                .setTensorShape(shape(2))
                                .addStringVal(ByteString.copyFromUtf8("héllo"))
                                .addStringVal(ByteString.copyFromUtf8(""))
                                .build())
                .build());
        assertThat(strings.getOutputsOrThrow("t").getStringValList())
                .containsExactly(ByteString.copyFromUtf8("héllo"), ByteString.EMPTY);
        assertThat(strings.getOutputsOrThrow("t").getDtype()).isEqualTo(DataType.DT_STRING);

        // one float_val value fills the shape, as in TensorFlow
        TensorProto threes = TensorProto.newBuilder()
                .setDtype(DataType.DT_FLOAT)
                .setTensorShape(shape(1, 3))
                .addFloatVal(3)
                .build();
        TensorProto twos = TensorProto.newBuilder()
                .setDtype(DataType.DT_FLOAT)
                .setTensorShape(shape(1, 3))
                .addAllFloatVal(List.of(2f, 2f, 2f))
                .build();
        PredictResponse multi = predict(PredictRequest.newBuilder()
                .setModelSpec(spec("multi"))
                .putInputs("a", threes)
                .putInputs("b", twos)
                .addOutputFilter("prod")
                .build());
        assertThat(multi.getOutputsMap()).containsOnlyKeys("prod");
        assertThat(MnistRestAnswers.littleEndianFloats(
                        multi.getOutputsOrThrow("prod").getTensorContent()))
                .containsExactly(6f, 6f, 6f);
    }

    @Test
    void metadataIsASignatureDefMapInAnyWithServingDefault() throws Exception {
        GetModelMetadataResponse m = grpc.call(
                PREDICTION,
                "GetModelMetadata",
                GetModelMetadataRequest.newBuilder()
                        .setModelSpec(spec("mnist"))
                        .addMetadataField("signature_def")
                        .build(),
                GetModelMetadataResponse.getDefaultInstance());
        assertThat(m.getModelSpec().getName()).isEqualTo("mnist");
        assertThat(m.getModelSpec().getVersion().getValue()).isEqualTo(1);
        assertThat(m.getMetadataOrThrow("signature_def").getTypeUrl())
                .isEqualTo("type.googleapis.com/tensorflow.serving.SignatureDefMap");
        SignatureDef def = m.getMetadataOrThrow("signature_def")
                .unpack(SignatureDefMap.class)
                .getSignatureDefOrThrow("serving_default");
        assertThat(def.getMethodName()).isEqualTo("tensorflow/serving/predict");
        assertThat(def.getInputsOrThrow(ExampleModels.MNIST_INPUT).getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(def.getInputsOrThrow(ExampleModels.MNIST_INPUT).getTensorShape())
                .isEqualTo(shape(-1, 784));
        assertThat(def.getOutputsOrThrow(ExampleModels.MNIST_OUTPUT).getTensorShape())
                .isEqualTo(shape(-1, 10));
        assertThat(def.getOutputsOrThrow(ExampleModels.MNIST_OUTPUT).getName()).isEqualTo(ExampleModels.MNIST_OUTPUT);
    }

    @Test
    void statusListsEveryVersionWithTfServingsStatesAndOneVersionWhenAsked() {
        GetModelStatusResponse all = grpc.call(
                MODEL_SERVICE,
                "GetModelStatus",
                GetModelStatusRequest.newBuilder().setModelSpec(spec("mlp")).build(),
                GetModelStatusResponse.getDefaultInstance());
        assertThat(all.getModelVersionStatusList())
                .extracting(ModelVersionStatus::getVersion)
                .containsExactly(2L, 1L);
        assertThat(all.getModelVersionStatusList()).allSatisfy(s -> {
            assertThat(s.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
            assertThat(s.getStateValue()).isEqualTo(30);
            assertThat(s.getStatus().getErrorCodeValue()).isZero();
        });
        GetModelStatusResponse one = grpc.call(
                MODEL_SERVICE,
                "GetModelStatus",
                GetModelStatusRequest.newBuilder()
                        .setModelSpec(spec("mlp").toBuilder().setVersion(Int64Value.of(1)))
                        .build(),
                GetModelStatusResponse.getDefaultInstance());
        assertThat(one.getModelVersionStatusList())
                .extracting(ModelVersionStatus::getVersion)
                .containsExactly(1L);
    }

    @Test
    void predictsThroughTfServingGrpcAreCountedInTheSameMetricsAsOtherProtocols() throws Exception {
        PredictRequest one = PredictRequest.newBuilder()
                .setModelSpec(spec("strings"))
                .putInputs(
                        "s",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_STRING)
                                .setTensorShape(shape(1))
                                .addStringVal(ByteString.copyFromUtf8("m"))
                                .build())
                .build();
        predict(one); // the series exists from the first request on
        double before = ProductionServingEndToEndTest.metric(
                http.get("/metrics").text(), "nv_inference_request_success", "strings", "1");
        for (int i = 0; i < 3; i++) {
            predict(one);
        }
        double after = ProductionServingEndToEndTest.metric(
                http.get("/metrics").text(), "nv_inference_request_success", "strings", "1");
        assertThat(after - before).isEqualTo(3);
        // and the gRPC paths need the inference token where auth is on, as V2's do
        assertThat(AccessPolicy.of("/tensorflow.serving.PredictionService/Predict"))
                .isEqualTo(AccessPolicy.Access.INFERENCE);
        assertThat(AccessPolicy.of("/tensorflow.serving.ModelService/GetModelStatus"))
                .isEqualTo(AccessPolicy.Access.INFERENCE);
    }

    static void assertStatus(Runnable call, Status.Code code, String... fragments) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(fragments);
        });
    }

    @Test
    void mistakesGetTfServingsStatusNamingWhatWasWrong() {
        TensorProto input = mnistContent();
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("nope"))
                        .putInputs("input", input)
                        .build()),
                Status.Code.NOT_FOUND,
                "nope");
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("mnist").toBuilder().setVersion(Int64Value.of(9)))
                        .putInputs("input", input)
                        .build()),
                Status.Code.NOT_FOUND,
                "9");
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("mnist").toBuilder().setVersionLabel("canary"))
                        .putInputs("input", input)
                        .build()),
                Status.Code.NOT_FOUND,
                "canary",
                "stable");
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("mnist"))
                        .putInputs("pixels", input)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "pixels",
                "input");
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("mnist"))
                        .putInputs(
                                "input",
                                input.toBuilder().setTensorShape(shape(2, 784)).build())
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "input",
                "tensor_content");
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("mnist"))
                        .putInputs(
                                "input",
                                TensorProto.newBuilder()
                                        .setDtype(DataType.DT_FLOAT)
                                        .setTensorShape(shape(1, 784))
                                        .addAllFloatVal(List.of(1f, 2f))
                                        .build())
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "input",
                "float_val",
                "784");
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("mnist"))
                        .putInputs(
                                "input",
                                input.toBuilder()
                                        .setDtype(DataType.DT_COMPLEX64)
                                        .build())
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "input",
                "DT_COMPLEX64");
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("mnist"))
                        .putInputs("input", input)
                        .addOutputFilter("logits")
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "logits",
                "probabilities");
        assertStatus(
                () -> predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("mnist").toBuilder().setSignatureName("train"))
                        .putInputs("input", input)
                        .build()),
                Status.Code.FAILED_PRECONDITION,
                "train");
        assertStatus(
                () -> predict(
                        PredictRequest.newBuilder().putInputs("input", input).build()),
                Status.Code.INVALID_ARGUMENT,
                "model_spec.name");
        assertStatus(
                () -> grpc.call(
                        PREDICTION,
                        "GetModelMetadata",
                        GetModelMetadataRequest.newBuilder()
                                .setModelSpec(spec("mnist"))
                                .build(),
                        GetModelMetadataResponse.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT,
                "metadata_field");
        assertStatus(
                () -> grpc.call(
                        MODEL_SERVICE,
                        "GetModelStatus",
                        GetModelStatusRequest.newBuilder()
                                .setModelSpec(spec("mlp").toBuilder().setVersion(Int64Value.of(7)))
                                .build(),
                        GetModelStatusResponse.getDefaultInstance()),
                Status.Code.NOT_FOUND,
                "7");
        assertStatus(
                () -> grpc.call(
                        PREDICTION,
                        "Classify",
                        ClassificationRequest.newBuilder()
                                .setModelSpec(spec("mnist"))
                                .build(),
                        ClassificationResponse.getDefaultInstance()),
                Status.Code.UNIMPLEMENTED,
                "Classify",
                "Predict");
        assertStatus(
                () -> grpc.call(
                        MODEL_SERVICE,
                        "HandleReloadConfigRequest",
                        ReloadConfigRequest.getDefaultInstance(),
                        ReloadConfigResponse.getDefaultInstance()),
                Status.Code.UNIMPLEMENTED,
                "/v2/repository/models/");
    }

    /** Sends reflection requests on one stream and collects the answers. */
    static List<ServerReflectionResponse> reflect(String service, List<ServerReflectionRequest> requests)
            throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", pier.grpcPort())
                .usePlaintext()
                .build();
        try {
            MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> md =
                    MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
                            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                            .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "ServerReflectionInfo"))
                            .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
                            .setResponseMarshaller(ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance()))
                            .build();
            List<ServerReflectionResponse> got = new ArrayList<>();
            CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> out = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(md, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                    new StreamObserver<>() {
                        public void onNext(ServerReflectionResponse r) {
                            got.add(r);
                        }

                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        public void onCompleted() {
                            done.complete(got);
                        }
                    });
            requests.forEach(out::onNext);
            out.onCompleted();
            return done.get(30, TimeUnit.SECONDS);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void reflectionListsEveryServiceAndResolvesTheirFilesOnV1AndV1alpha() throws Exception {
        for (String service :
                List.of("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")) {
            List<ServerReflectionResponse> answers = reflect(
                    service,
                    List.of(
                            ServerReflectionRequest.newBuilder()
                                    .setListServices("*")
                                    .build(),
                            ServerReflectionRequest.newBuilder()
                                    .setFileContainingSymbol("tensorflow.serving.PredictionService")
                                    .build(),
                            ServerReflectionRequest.newBuilder()
                                    .setFileByFilename("inference/grpc_predict_v2.proto")
                                    .build(),
                            ServerReflectionRequest.newBuilder()
                                    .setFileContainingSymbol("no.such.Thing")
                                    .build()));
            assertThat(answers).hasSize(4);
            assertThat(answers.get(0).getListServicesResponse().getServiceList())
                    .extracting(s -> s.getName())
                    .contains(
                            "inference.GRPCInferenceService",
                            "tensorflow.serving.PredictionService",
                            "tensorflow.serving.ModelService",
                            "grpc.health.v1.Health",
                            "grpc.reflection.v1.ServerReflection",
                            "grpc.reflection.v1alpha.ServerReflection");
            FileDescriptor prediction = build(answers.get(1), "tensorflow_serving/apis/prediction_service.proto");
            assertThat(prediction
                            .findServiceByName("PredictionService")
                            .findMethodByName("Predict")
                            .getInputType()
                            .findFieldByName("inputs")
                            .getNumber())
                    .isEqualTo(2);
            FileDescriptor v2 = build(answers.get(2), "inference/grpc_predict_v2.proto");
            assertThat(v2.findServiceByName("GRPCInferenceService").getMethods())
                    .hasSize(6);
            assertThat(answers.get(3).getErrorResponse().getErrorCode()).isEqualTo(Status.Code.NOT_FOUND.value());
            assertThat(answers.get(3).getErrorResponse().getErrorMessage()).contains("no.such.Thing");
        }
    }

    /** Builds the named file from a reflection answer, as grpcurl does: every file it imports comes with it. */
    static FileDescriptor build(ServerReflectionResponse answer, String name) throws Exception {
        Map<String, FileDescriptorProto> protos = new HashMap<>();
        for (ByteString b : answer.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto p = FileDescriptorProto.parseFrom(b);
            protos.put(p.getName(), p);
        }
        assertThat(protos).containsKey(name);
        return build(name, protos, new HashMap<>());
    }

    private static FileDescriptor build(
            String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) throws Exception {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto p = protos.get(name);
        assertThat(p).as("dependency %s sent", name).isNotNull();
        List<FileDescriptor> deps = new ArrayList<>();
        for (String d : p.getDependencyList()) {
            deps.add(build(d, protos, built));
        }
        FileDescriptor f = FileDescriptor.buildFrom(p, deps.toArray(new FileDescriptor[0]));
        built.put(name, f);
        return f;
    }
}
