/**
 * The vocabulary every other package speaks: tensors and their types, requests and responses, model
 * signatures, and the typed errors. Nothing here knows JSON, HTTP, gRPC or ONNX Runtime.
 */
package dev.pier.api;
