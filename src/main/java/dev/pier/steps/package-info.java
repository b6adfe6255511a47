/**
 * Pier's built-in processing steps, served as models and composed into ensembles without user code:
 * {@code pier_image} ({@link dev.pier.steps.ImageStep}: PNG/JPEG bytes to a tensor), {@code pier_labels}
 * ({@link dev.pier.steps.LabelsStep}: scores to classes and scores) and {@code pier_normalize}
 * ({@link dev.pier.steps.NormalizeStep}: per-feature mean/std or min/max). Each is a
 * {@link dev.pier.api.step.StepProvider}, registered like any third-party step.
 */
package dev.pier.steps;
