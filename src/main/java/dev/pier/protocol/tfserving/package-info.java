/**
 * TF Serving REST API (its gRPC API is in the {@code grpc} subpackage): model status, model metadata (signature_def) and predict in the row
 * ({@code instances}) and columnar ({@code inputs}) formats, decoded with the model's signature.
 */
package dev.pier.protocol.tfserving;
