package dev.pier.monitor.log;

import dev.pier.api.Tensor;

/**
 * One logged prediction joined with its feedback. Immutable value.
 *
 * @param input     the request's (single) input tensor, as served
 * @param predicted the class the served version predicted, per row (empty when the log has none)
 * @param labels    the true class, per row
 */
public record LoggedExample(String id, String model, long version, Tensor input, int[] predicted, int[] labels) {}
