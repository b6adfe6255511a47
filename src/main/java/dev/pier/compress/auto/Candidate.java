package dev.pier.compress.auto;

import dev.pier.compress.ModelFigures;

/**
 * One variant the search tried. Immutable.
 *
 * @param name         strategy and settings, e.g. {@code prune-magnitude 0.7}
 * @param figures      its measured figures; null when the strategy could not handle the model
 * @param withinBudget whether its accuracy drop is within the budget
 * @param error        why it was skipped; null when it ran
 */
public record Candidate(String name, ModelFigures figures, boolean withinBudget, String error) {}
