package dev.pier.protocol.grpc;

import dev.pier.api.InferenceService;
import dev.pier.protocol.grpc.health.HealthCheckRequest;
import dev.pier.protocol.grpc.health.HealthCheckResponse;
import dev.pier.protocol.grpc.health.HealthCheckResponse.ServingStatus;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The standard {@code grpc.health.v1.Health} service (what Kubernetes gRPC probes and grpc_health_probe ask):
 * the whole server ({@code ""}) and each inference service ({@code inference.GRPCInferenceService},
 * {@code tensorflow.serving.PredictionService}, {@code tensorflow.serving.ModelService}) are SERVING when the inference
 * service is ready, NOT_SERVING otherwise; other names are NOT_FOUND (Check) or SERVICE_UNKNOWN (Watch).
 * Watch sends the status now and again whenever it changes, polling once a second until the call ends.
 */
final class HealthGrpcService {
    static final ServiceName NAME = ServiceName.create("grpc.health.v1", "Health");
    static final long WATCH_POLL_MS = 1000;

    private final Vertx vertx;
    private final InferenceService service;
    private final Set<Long> watches = ConcurrentHashMap.newKeySet();

    HealthGrpcService(Vertx vertx, InferenceService service) {
        this.vertx = vertx;
        this.service = service;
    }

    void bind(GrpcServer server) {
        server.callHandler(
                method("Check"),
                (GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> call) -> call.handler(req -> {
                    ServingStatus s = status(req.getService());
                    if (s == ServingStatus.SERVICE_UNKNOWN) {
                        call.response()
                                .status(GrpcStatus.NOT_FOUND)
                                .statusMessage("unknown service '" + req.getService() + "'; known: \"\" and "
                                        + GrpcApi.SERVICES.stream()
                                                .map(d -> d.getFullName())
                                                .filter(n -> !n.equals(NAME.fullyQualifiedName()))
                                                .toList())
                                .end();
                    } else {
                        call.response().send(response(s));
                    }
                }));
        server.callHandler(
                method("Watch"),
                (GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> call) ->
                        call.handler(req -> watch(call, req.getService())));
    }

    private void watch(GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> call, String name) {
        ServingStatus[] last = {status(name)};
        call.response().write(response(last[0]));
        long timer = vertx.setPeriodic(WATCH_POLL_MS, id -> {
            ServingStatus now = status(name);
            if (now != last[0]) {
                last[0] = now;
                call.response().write(response(now)).onFailure(e -> stop(id));
            }
        });
        watches.add(timer);
        // a client cancel arrives as a stream reset (error handler); a dropped connection as an exception
        call.errorHandler(e -> stop(timer));
        call.exceptionHandler(e -> stop(timer));
        call.response().exceptionHandler(e -> stop(timer));
    }

    private void stop(long timer) {
        vertx.cancelTimer(timer);
        watches.remove(timer);
    }

    /** Number of Watch streams still open (their poll timers running). */
    int activeWatches() {
        return watches.size();
    }

    private ServingStatus status(String name) {
        if (name.isEmpty()
                || GrpcApi.SERVICES.stream()
                        .anyMatch(d ->
                                d.getFullName().equals(name) && !d.getFullName().equals(NAME.fullyQualifiedName()))) {
            return service.isReady() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        }
        return ServingStatus.SERVICE_UNKNOWN;
    }

    private static HealthCheckResponse response(ServingStatus s) {
        return HealthCheckResponse.newBuilder().setStatus(s).build();
    }

    private static ServiceMethod<HealthCheckRequest, HealthCheckResponse> method(String name) {
        return ServiceMethod.server(
                NAME,
                name,
                GrpcMessageEncoder.encoder(),
                GrpcMessageDecoder.decoder(HealthCheckRequest.getDefaultInstance()));
    }
}
