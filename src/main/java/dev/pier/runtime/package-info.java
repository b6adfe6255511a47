/**
 * Inference engines behind one interface ({@link dev.pier.runtime.InferenceEngine}); the ONNX Runtime
 * engine lives in {@code dev.pier.runtime.onnx} and is the only code importing {@code ai.onnxruntime}.
 */
package dev.pier.runtime;
