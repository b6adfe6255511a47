/**
 * Accuracy-aware search: tries quantization and pruning variants, evaluates each, and returns the best by
 * the chosen objective among those within the accuracy budget.
 */
package dev.pier.compress.auto;
