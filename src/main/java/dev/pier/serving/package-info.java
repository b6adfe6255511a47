/**
 * The serving core, shaped as TensorFlow Serving's: a {@link dev.pier.repository.ModelSource} says which
 * versions should serve; a {@link dev.pier.serving.Loader} made by a {@link dev.pier.serving.LoaderFactory}
 * loads one version ({@link dev.pier.serving.ModelLoader} for ONNX Runtime); the
 * {@link dev.pier.serving.ModelManager} owns each version's state machine, applies the
 * {@link dev.pier.serving.AvailabilityPreservingPolicy} and what the {@link dev.pier.serving.ResidencyTracker}
 * admits (memory budget, LRU, on-demand loads), and hands out short-lived {@link dev.pier.serving.ModelHandle}s
 * that pin a version while a request uses it, resolved by the pure {@link dev.pier.serving.VersionResolver}
 * in the same pass. {@link dev.pier.serving.ServingCore} puts them together behind
 * {@link dev.pier.api.InferenceService}: one acquire, one validation, one asynchronous submit to the version's
 * {@link dev.pier.batching.ScheduledSession}.
 */
package dev.pier.serving;
