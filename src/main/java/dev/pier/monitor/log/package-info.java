/**
 * The prediction log: sampled request/response records as JSON lines, written off the request path by one
 * background thread into size-bounded, rotated files ({@link dev.pier.monitor.log.PredictionLog}); feedback
 * is appended to the same stream, and {@link dev.pier.monitor.log.PredictionLogReader} joins both back for
 * {@code pier evaluate --from-log} ({@link dev.pier.evaluate.LogEvaluation}).
 */
package dev.pier.monitor.log;
