package dev.pier.protocol.tfserving.grpc;

import com.google.protobuf.Message;
import dev.pier.api.InferenceService;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ServingTarget;
import dev.pier.protocol.Deadlines;
import dev.pier.protocol.ErrorMapper;
import dev.pier.protocol.grpc.LenientDecoder;
import dev.pier.protocol.tfserving.proto.ClassificationRequest;
import dev.pier.protocol.tfserving.proto.GetModelMetadataRequest;
import dev.pier.protocol.tfserving.proto.GetModelStatusRequest;
import dev.pier.protocol.tfserving.proto.MultiInferenceRequest;
import dev.pier.protocol.tfserving.proto.PredictRequest;
import dev.pier.protocol.tfserving.proto.PredictResponse;
import dev.pier.protocol.tfserving.proto.RegressionRequest;
import dev.pier.protocol.tfserving.proto.ReloadConfigRequest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * TF Serving's gRPC API ({@code tensorflow.serving.PredictionService} and {@code tensorflow.serving.ModelService})
 * on a Vert.x {@link GrpcServer}: one more protocol front end over the same {@link InferenceService} as KServe V2,
 * so auth, deadlines, metrics, traffic split and monitoring taps are the core's and the server's, not its own.
 * Predict pins one version (the asked one, or the one the version policy and traffic split choose), decodes with
 * its signature and runs on it; the answer hops back to the call's context. The tf.Example APIs (Classify,
 * Regress, MultiInference) and config reloads answer UNIMPLEMENTED saying what to use instead. Stateless.
 */
public final class TfServingGrpcService {
    public static final ServiceName PREDICTION = ServiceName.create("tensorflow.serving", "PredictionService");
    public static final ServiceName MODEL = ServiceName.create("tensorflow.serving", "ModelService");

    private final InferenceService service;

    public TfServingGrpcService(InferenceService service) {
        this.service = service;
    }

    public void bind(GrpcServer server) {
        server.callHandler(
                method(PREDICTION, "Predict", PredictRequest.getDefaultInstance()),
                (GrpcServerRequest<LenientDecoder.Decoded<PredictRequest>, PredictResponse> call) ->
                        call.handler(msg -> {
                            if (msg.error() != null) {
                                fail(call, new InvalidInputException(msg.error()));
                            } else {
                                predict(call, msg.message());
                            }
                        }));
        unary(server, PREDICTION, "GetModelMetadata", GetModelMetadataRequest.getDefaultInstance(), r -> {
            String model = TfGrpcMapper.model(r.hasModelSpec(), r.getModelSpec());
            if (r.getMetadataFieldCount() == 0) {
                throw new InvalidInputException("GetModelMetadataRequest must specify at least one metadata_field;"
                        + " Pier serves \"" + TfGrpcMapper.SIGNATURE_DEF_FIELD + "\"");
            }
            for (String field : r.getMetadataFieldList()) {
                if (!field.equals(TfGrpcMapper.SIGNATURE_DEF_FIELD)) {
                    throw new InvalidInputException("metadata field '" + field + "' is not supported; Pier serves \""
                            + TfGrpcMapper.SIGNATURE_DEF_FIELD + "\"");
                }
            }
            TfGrpcMapper.checkSignature(r.getModelSpec().getSignatureName());
            return TfGrpcMapper.toProto(service.metadata(model, TfGrpcMapper.version(r.getModelSpec(), service)));
        });
        unary(server, MODEL, "GetModelStatus", GetModelStatusRequest.getDefaultInstance(), r -> {
            String model = TfGrpcMapper.model(r.hasModelSpec(), r.getModelSpec());
            return TfGrpcMapper.toProto(service.status(model, TfGrpcMapper.version(r.getModelSpec(), service)));
        });
        unary(server, MODEL, "HandleReloadConfigRequest", ReloadConfigRequest.getDefaultInstance(), r -> {
            throw new TfStatusException(
                    GrpcStatus.UNIMPLEMENTED,
                    "HandleReloadConfigRequest is not supported: Pier"
                            + " serves the models of its --model-repository directory, not a ModelServerConfig sent over gRPC;"
                            + " change the repository (with --model-control poll Pier follows it) or, with --model-control"
                            + " explicit, call POST /v2/repository/models/{model}/load or /unload on the REST port");
        });
        unary(
                server,
                PREDICTION,
                "Classify",
                ClassificationRequest.getDefaultInstance(),
                r -> unimplemented("Classify", r.getModelSpec().getName()));
        unary(
                server,
                PREDICTION,
                "Regress",
                RegressionRequest.getDefaultInstance(),
                r -> unimplemented("Regress", r.getModelSpec().getName()));
        unary(
                server,
                PREDICTION,
                "MultiInference",
                MultiInferenceRequest.getDefaultInstance(),
                r -> unimplemented(
                        "MultiInference",
                        r.getTasksCount() == 0
                                ? ""
                                : r.getTasks(0).getModelSpec().getName()));
    }

    private static Message unimplemented(String api, String model) {
        throw new TfStatusException(
                GrpcStatus.UNIMPLEMENTED,
                api + " (tf.Example input) is not supported: Pier serves"
                        + " predict signatures only; call tensorflow.serving.PredictionService/Predict with the input tensors of "
                        + (model.isEmpty() ? "the model" : "model '" + model + "'"));
    }

    private void predict(GrpcServerRequest<?, PredictResponse> call, PredictRequest msg) {
        Context context = Vertx.currentContext();
        CompletableFuture<PredictResponse> answer;
        try {
            String model = TfGrpcMapper.model(msg.hasModelSpec(), msg.getModelSpec());
            OptionalLong version = TfGrpcMapper.version(msg.getModelSpec(), service);
            long timeoutMicros = call.timeout() * 1000;
            // one pinned version: its signature decodes the request and the same version runs it
            answer = ServingTarget.call(
                    service.target(model, version),
                    pinned -> pinned.infer(Deadlines.withTimeoutMicros(
                                    TfGrpcMapper.toInferRequest(msg, model, pinned.version(), pinned.signature()),
                                    timeoutMicros))
                            .thenApply(TfGrpcMapper::toProto));
        } catch (RuntimeException e) {
            fail(call, e);
            return;
        }
        answer.whenComplete((response, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                fail(call, failure);
            } else {
                call.response().send(response);
            }
        }));
    }

    private static <Req extends Message, Resp extends Message> void unary(
            GrpcServer server, ServiceName service, String name, Req prototype, Function<Req, Resp> body) {
        server.callHandler(
                method(service, name, prototype),
                (GrpcServerRequest<LenientDecoder.Decoded<Req>, Resp> call) -> call.handler(msg -> {
                    Resp out;
                    try {
                        if (msg.error() != null) {
                            throw new InvalidInputException(msg.error());
                        }
                        out = body.apply(msg.message());
                    } catch (RuntimeException e) {
                        fail(call, e);
                        return;
                    }
                    call.response().send(out);
                }));
    }

    private static <Req extends Message, Resp extends Message> ServiceMethod<LenientDecoder.Decoded<Req>, Resp> method(
            ServiceName service, String name, Req prototype) {
        return ServiceMethod.server(service, name, GrpcMessageEncoder.encoder(), new LenientDecoder<>(prototype));
    }

    /** Pier's errors through the one {@link ErrorMapper}; the statuses only TF Serving gives, as they are. */
    static void fail(GrpcServerRequest<?, ?> call, Throwable failure) {
        Throwable t = ErrorMapper.unwrap(failure);
        if (t instanceof TfStatusException tf) {
            call.response().status(tf.status()).statusMessage(tf.getMessage()).end();
        } else {
            call.response()
                    .status(ErrorMapper.grpcStatus(t))
                    .statusMessage(ErrorMapper.message(t))
                    .end();
        }
    }

    /** The services this front end adds, for the banner and reflection. */
    public static List<ServiceName> services() {
        return List.of(PREDICTION, MODEL);
    }
}
