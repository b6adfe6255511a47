/**
 * Inference graphs served as models: Triton's ensembles ({@code platform: ensemble}, {@link
 * dev.pier.serving.graph.EnsembleLoader}, checked by {@link dev.pier.serving.graph.EnsembleGraph} and run by
 * {@link dev.pier.serving.graph.EnsembleSession}) and processing steps ({@link dev.pier.serving.graph.StepLoader}, for
 * the platforms of {@link dev.pier.api.step.StepProvider}s). Both are loaded models behind the same
 * {@link dev.pier.batching.ScheduledSession} contract as an ONNX model, so every protocol serves them unchanged;
 * {@link dev.pier.serving.graph.GraphLoaderFactory} picks the loader by platform.
 */
package dev.pier.serving.graph;
