package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.SignatureDef;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelMetadata;
import tensorflow.serving.GetModelStatus;
import tensorflow.serving.Model;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Pier called by clients that no one here wrote: the gRPC stubs that Apache Camel generates from TF Serving's
 * own protos ({@code camel-tensorflow-serving}) and from the Open Inference Protocol's proto
 * ({@code camel-kserve}), through grpc-java. Their messages are compiled from the upstream .proto files, so a
 * field number or type that differs in Pier's hand-written protos shows up here as a wrong or missing value.
 */
class OutsideClientsEndToEndTest {
    @TempDir
    static Path dir;

    static PierProcess pier;
    static Http http;
    static ManagedChannel channel;
    static LabeledData images;

    @BeforeAll
    static void start() throws Exception {
        Path models = dir.resolve("models");
        ExampleModels.writeMnistRepository(models, 7);
        images = Mnist.load(Mnist.Split.TEST, 4, MnistFetcher.defaultDir(), Shape.of(784));
        pier = PierProcess.serve("--model-repository", models.toString());
        http = new Http(pier.httpPort());
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

    static TensorShapeProto tfShape(long... dims) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (long d : dims) {
            b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return b.build();
    }

    @Test
    void camelTensorFlowServingStubsPredictOnMnistAsRestDoesAndParseMetadataAndStatus() throws Exception {
        PredictionServiceGrpc.PredictionServiceBlockingStub prediction =
                PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        TensorProto.Builder input =
                TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(tfShape(images.count(), 784));
        for (float f : images.features()) {
            input.addFloatVal(f);
        }
        Predict.PredictResponse answer = prediction.predict(Predict.PredictRequest.newBuilder()
                .setModelSpec(Model.ModelSpec.newBuilder().setName("mnist").setSignatureName("serving_default"))
                .putInputs(ExampleModels.MNIST_INPUT, input.build())
                .build());
        TensorProto out = answer.getOutputsOrThrow(ExampleModels.MNIST_OUTPUT);
        assertThat(out.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(out.getTensorShape()).isEqualTo(tfShape(images.count(), 10));
        assertThat(MnistRestAnswers.littleEndianFloats(out.getTensorContent()))
                .containsExactly(MnistRestAnswers.predictions(http, images));
        assertThat(answer.getModelSpec().getName()).isEqualTo("mnist");
        assertThat(answer.getModelSpec().getVersion().getValue()).isEqualTo(1);

        GetModelMetadata.GetModelMetadataResponse metadata =
                prediction.getModelMetadata(GetModelMetadata.GetModelMetadataRequest.newBuilder()
                        .setModelSpec(
                                Model.ModelSpec.newBuilder().setName("mnist").setVersion(Int64Value.of(1)))
                        .addMetadataField("signature_def")
                        .build());
        SignatureDef def = metadata.getMetadataOrThrow("signature_def")
                .unpack(GetModelMetadata.SignatureDefMap.class)
                .getSignatureDefOrThrow("serving_default");
        assertThat(def.getInputsOrThrow(ExampleModels.MNIST_INPUT).getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(def.getInputsOrThrow(ExampleModels.MNIST_INPUT).getTensorShape())
                .isEqualTo(tfShape(-1, 784));
        assertThat(def.getOutputsOrThrow(ExampleModels.MNIST_OUTPUT).getTensorShape())
                .isEqualTo(tfShape(-1, 10));
        assertThat(def.getMethodName()).isEqualTo("tensorflow/serving/predict");

        GetModelStatus.GetModelStatusResponse status = ModelServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .getModelStatus(GetModelStatus.GetModelStatusRequest.newBuilder()
                        .setModelSpec(Model.ModelSpec.newBuilder().setName("mnist"))
                        .build());
        assertThat(status.getModelVersionStatusList()).hasSize(1);
        assertThat(status.getModelVersionStatus(0).getVersion()).isEqualTo(1);
        assertThat(status.getModelVersionStatus(0).getState())
                .isEqualTo(GetModelStatus.ModelVersionStatus.State.AVAILABLE);
        assertThat(status.getModelVersionStatus(0).getStatus().getErrorCode().getNumber())
                .isZero();

        assertThatThrownBy(() -> prediction.predict(Predict.PredictRequest.newBuilder()
                        .setModelSpec(
                                Model.ModelSpec.newBuilder().setName("mnist").setVersionLabel("canary"))
                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void camelKServeStubsCallHealthMetadataAndInferWithTypedAndRawContents() throws Exception {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub v2 =
                GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        assertThat(v2.serverLive(GrpcPredictV2.ServerLiveRequest.getDefaultInstance())
                        .getLive())
                .isTrue();
        assertThat(v2.serverReady(GrpcPredictV2.ServerReadyRequest.getDefaultInstance())
                        .getReady())
                .isTrue();
        assertThat(v2.modelReady(GrpcPredictV2.ModelReadyRequest.newBuilder()
                                .setName("mnist")
                                .build())
                        .getReady())
                .isTrue();
        assertThat(v2.serverMetadata(GrpcPredictV2.ServerMetadataRequest.getDefaultInstance())
                        .getName())
                .isEqualTo("pier");

        GrpcPredictV2.ModelMetadataResponse meta = v2.modelMetadata(
                GrpcPredictV2.ModelMetadataRequest.newBuilder().setName("mnist").build());
        assertThat(meta.getName()).isEqualTo("mnist");
        assertThat(meta.getVersionsList()).containsExactly("1");
        assertThat(meta.getInputs(0).getName()).isEqualTo(ExampleModels.MNIST_INPUT);
        assertThat(meta.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(meta.getInputs(0).getShapeList()).containsExactly(-1L, 784L);
        assertThat(meta.getOutputs(0).getShapeList()).containsExactly(-1L, 10L);

        float[] rest = MnistRestAnswers.predictions(http, images);
        GrpcPredictV2.ModelInferRequest.InferInputTensor.Builder typed =
                GrpcPredictV2.ModelInferRequest.InferInputTensor.newBuilder()
                        .setName(ExampleModels.MNIST_INPUT)
                        .setDatatype("FP32")
                        .addShape(images.count())
                        .addShape(784);
        GrpcPredictV2.InferTensorContents.Builder contents = GrpcPredictV2.InferTensorContents.newBuilder();
        for (float f : images.features()) {
            contents.addFp32Contents(f);
        }
        GrpcPredictV2.ModelInferResponse fromTyped = v2.modelInfer(GrpcPredictV2.ModelInferRequest.newBuilder()
                .setModelName("mnist")
                .setId("camel-typed")
                .addInputs(typed.setContents(contents))
                .build());
        ByteBuffer raw = ByteBuffer.allocate(images.features().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : images.features()) {
            raw.putFloat(f);
        }
        GrpcPredictV2.ModelInferResponse fromRaw = v2.modelInfer(GrpcPredictV2.ModelInferRequest.newBuilder()
                .setModelName("mnist")
                .setModelVersion("1")
                .addInputs(typed.clearContents())
                .addRawInputContents(ByteString.copyFrom(raw.array()))
                .build());
        for (GrpcPredictV2.ModelInferResponse r : List.of(fromTyped, fromRaw)) {
            assertThat(r.getModelName()).isEqualTo("mnist");
            assertThat(r.getModelVersion()).isEqualTo("1");
            assertThat(r.getOutputs(0).getName()).isEqualTo(ExampleModels.MNIST_OUTPUT);
            assertThat(r.getOutputs(0).getDatatype()).isEqualTo("FP32");
            assertThat(r.getOutputs(0).getShapeList()).containsExactly((long) images.count(), 10L);
            assertThat(MnistRestAnswers.littleEndianFloats(r.getRawOutputContents(0)))
                    .containsExactly(rest);
        }
        assertThat(fromTyped.getId()).isEqualTo("camel-typed");
    }
}
