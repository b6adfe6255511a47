/**
 * Protocol front-ends shared pieces: the one {@link dev.pier.protocol.ErrorMapper} from typed errors to wire
 * statuses, request-body limits, and the entry points ({@link dev.pier.protocol.RestApi},
 * {@link dev.pier.protocol.grpc.GrpcApi}) the composition root mounts on Vert.x servers. Protocols only decode
 * into {@link dev.pier.api} types, call {@link dev.pier.api.InferenceService} and encode the result.
 */
package dev.pier.protocol;
