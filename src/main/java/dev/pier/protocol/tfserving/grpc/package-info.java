/**
 * TF Serving's gRPC API ({@code tensorflow.serving.PredictionService} and {@code ModelService}) as one more protocol
 * front end over {@link dev.pier.api.InferenceService}: TensorProto conversion, model spec resolution (version,
 * version label), Predict, model metadata (SignatureDefMap) and status; the messages are generated from the
 * hand-written protos in {@code src/main/proto/tensorflow*} into {@code dev.pier.protocol.tfserving.proto}.
 */
package dev.pier.protocol.tfserving.grpc;
