package dev.pier.pipeline;

/**
 * One gate's verdict. For a threshold gate {@code limit} is the threshold; for the baseline gate it is the served
 * version's figure. {@code margin} is how far the candidate is on the right side (negative: by how much it failed).
 *
 * @param gate      accuracy, latency_p99_ms, size_mb or baseline
 * @param passed    whether it holds
 * @param candidate the candidate's figure
 * @param limit     the threshold, or the baseline's figure
 * @param margin    candidate's distance from the limit in the good direction
 * @param message   one line for people
 */
public record GateResult(String gate, boolean passed, double candidate, double limit, double margin, String message) {}
