/**
 * Model evaluation: {@link dev.pier.evaluate.Evaluator} runs an ONNX classifier over a labelled dataset and
 * returns an {@link dev.pier.evaluate.EvaluationReport} (accuracy, per-class precision/recall/F1, confusion
 * matrix, top-k, log loss, calibration, latency, throughput, size). Inputs are adapted to the model's
 * declared layout ({@link dev.pier.evaluate.InputBinding}) and outputs read as probabilities or logits
 * ({@link dev.pier.evaluate.OutputInterpreter}). The metrics themselves live in
 * {@code dev.pier.evaluate.metrics}; the JSON and HTML writers in {@code dev.pier.evaluate.report}.
 */
package dev.pier.evaluate;
