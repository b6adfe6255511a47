/**
 * Classification metrics as pure functions of labels and class probabilities; no I/O, no model, no
 * threads. Definitions follow scikit-learn (1.5 and later) so figures can be checked against it:
 * <ul>
 *   <li>{@link dev.pier.evaluate.metrics.ConfusionMatrix}: rows are true classes, columns predictions.</li>
 *   <li>{@link dev.pier.evaluate.metrics.ClassificationMetrics}: accuracy and per-class precision, recall
 *       and F1 with {@code zero_division} behaving as sklearn's default {@code "warn"} (an undefined ratio is
 *       0.0). Per-class figures are listed for every class; macro and weighted averages run over the classes
 *       that occur in the true labels or the predictions, as sklearn does with {@code labels=None}.</li>
 *   <li>{@link dev.pier.evaluate.metrics.TopK}: sklearn's {@code top_k_accuracy_score}, ties included.</li>
 *   <li>{@link dev.pier.evaluate.metrics.LogLoss}: sklearn's {@code log_loss}: probabilities clipped to
 *       {@code [eps, 1 - eps]} with eps the machine epsilon of float64, no renormalisation.</li>
 *   <li>{@link dev.pier.evaluate.metrics.Calibration}: expected calibration error over equal-width bins of
 *       max-probability confidence (Guo et al., 2017).</li>
 *   <li>{@link dev.pier.evaluate.metrics.Percentiles}: numpy's default (linear) percentile.</li>
 * </ul>
 */
package dev.pier.evaluate.metrics;
