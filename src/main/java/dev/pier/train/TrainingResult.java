package dev.pier.train;

import java.nio.file.Path;

/**
 * The outcome of {@link TrainingService#train}: the ONNX model, the log file and the final figures.
 *
 * @param model   the exported ONNX model (input {@code input}, output {@code probabilities})
 * @param logFile the training log JSON
 * @param log     the log's content
 * @param metrics the figures of the exported epoch
 * @param profile the reference profile written beside the model (validation split), or null when none was
 */
public record TrainingResult(Path model, Path logFile, TrainingLog log, EpochStats metrics, Path profile) {}
