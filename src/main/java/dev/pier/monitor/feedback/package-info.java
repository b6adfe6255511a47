/**
 * Ground truth after the fact: {@link dev.pier.monitor.feedback.RecentPredictions} remembers what the last N
 * requests predicted (every request, not only logged ones), {@code POST /v2/models/{m}/feedback}
 * ({@link dev.pier.monitor.feedback.FeedbackRoutes}) joins a true label to one of them, and
 * {@link dev.pier.monitor.feedback.LiveMetrics} turns the joined pairs into live accuracy, macro precision,
 * recall and F1 per model version on {@code /metrics}.
 */
package dev.pier.monitor.feedback;
