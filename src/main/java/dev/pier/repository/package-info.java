/**
 * The model repository, laid out as Triton's: {@code root/<model>/config.yaml} (optional) and numeric
 * version folders {@code root/<model>/<version>/model.onnx}. Here live the {@code config.yaml} records and
 * their parser, the version policies (pure functions from versions on disk to aspired versions), and the
 * {@link dev.pier.repository.ModelSource}s that scan a repository (or one file) and say which versions
 * each model should have loaded. Nothing here loads a model: that is the serving package's job.
 */
package dev.pier.repository;
