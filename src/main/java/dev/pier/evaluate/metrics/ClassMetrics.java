package dev.pier.evaluate.metrics;

/**
 * Precision, recall and F1 of one class, with the number of true examples of it.
 *
 * @param clazz     class index
 * @param precision tp / (tp + fp); 0 when nothing was predicted as this class
 * @param recall    tp / (tp + fn); 0 when the class has no examples
 * @param f1        2tp / (2tp + fp + fn); 0 when that is 0 / 0
 * @param support   number of examples whose true class this is
 */
public record ClassMetrics(int clazz, double precision, double recall, double f1, long support) {}
