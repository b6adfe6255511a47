/**
 * Writing and reading ONNX models without Python: a fluent {@link dev.pier.onnx.OnnxModelBuilder} for graphs
 * (with {@link dev.pier.onnx.OnnxNetworks} for common layer stacks), atomic saving, and
 * {@link dev.pier.onnx.OnnxModelReader} for summaries and weights. The protobuf classes live in
 * {@code dev.pier.onnx.proto}, generated from {@code src/main/proto/onnx/onnx.proto}.
 */
package dev.pier.onnx;
