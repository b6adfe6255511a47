/**
 * The extension point for processing steps (the role of Triton's custom backends and DJL's translators): a
 * {@link dev.pier.api.step.StepProvider} found by {@link java.util.ServiceLoader} adds a model platform whose
 * versions run a {@link dev.pier.api.step.Step} in plain Java. Pier's own steps ({@code pier_image},
 * {@code pier_labels}, {@code pier_normalize}) use the same interface. A step served by itself is a model like
 * any other (its own queue, workers, metrics) and composes into ensembles.
 */
package dev.pier.api.step;
