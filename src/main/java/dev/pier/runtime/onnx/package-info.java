/**
 * The ONNX Runtime engine: {@link dev.pier.runtime.onnx.OrtEngine} loads {@code .onnx} files into
 * {@link dev.pier.runtime.onnx.OrtModelSession}s. This package is the only code in Pier that imports
 * {@code ai.onnxruntime}; every ONNX Runtime error leaves it as a {@link dev.pier.api.PierException}.
 */
package dev.pier.runtime.onnx;
