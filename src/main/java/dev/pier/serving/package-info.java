/**
 * The serving core, shaped as TensorFlow Serving's: a {@link dev.pier.repository.ModelSource} says which
 * versions should serve, a {@link dev.pier.serving.ModelLoader} loads one version, the
 * {@link dev.pier.serving.ModelManager} applies the {@link dev.pier.serving.AvailabilityPreservingPolicy}
 * and owns each version's state machine, and hands out short-lived {@link dev.pier.serving.ModelHandle}s
 * that pin a version while a request uses it. {@link dev.pier.serving.ServingCore} puts them together behind
 * {@link dev.pier.api.InferenceService}, validating requests and running them on a bounded worker pool.
 */
package dev.pier.serving;
