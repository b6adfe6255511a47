/**
 * The gRPC port: KServe V2 gRPC ({@code inference.GRPCInferenceService}), the standard {@code grpc.health.v1.Health}
 * service and server reflection ({@code grpc.reflection.v1} / {@code v1alpha}) on Vert.x's gRPC server, using the
 * protobuf classes generated from {@code src/main/proto} (no grpc-java code generation). {@link
 * dev.pier.protocol.grpc.GrpcApi} mounts them together with TF Serving's gRPC API
 * ({@link dev.pier.protocol.tfserving.grpc}); {@link dev.pier.protocol.grpc.V2GrpcMapper} converts between the V2
 * protobuf messages and the {@link dev.pier.api} types.
 */
package dev.pier.protocol.grpc;
