/**
 * KServe V2 gRPC ({@code inference.GRPCInferenceService}) and the standard {@code grpc.health.v1.Health}
 * service on Vert.x's gRPC server, using the protobuf classes generated from {@code src/main/proto} (no
 * grpc-java code generation). {@link dev.pier.protocol.grpc.V2GrpcMapper} converts between the protobuf
 * messages and the {@link dev.pier.api} types.
 */
package dev.pier.protocol.grpc;
