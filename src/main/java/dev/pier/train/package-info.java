/**
 * Training with DJL's PyTorch engine (CPU, offline): architectures from spec strings or YAML, the training
 * loop with validation, early stopping, schedules and checkpoints, and the bridge between trained DJL
 * networks and ONNX ({@link dev.pier.train.OnnxExporter} out, {@link dev.pier.train.OnnxImporter} back in).
 * Entry point: {@link dev.pier.train.TrainingService}.
 */
package dev.pier.train;
