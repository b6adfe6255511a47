package dev.pier.evaluate.metrics;

/**
 * One confidence bin of a reliability diagram: the examples whose confidence falls in
 * {@code (lower, upper]} (the first bin also takes confidence 0).
 *
 * @param lower          lower edge (exclusive)
 * @param upper          upper edge (inclusive)
 * @param count          examples in the bin
 * @param accuracy       fraction of them predicted correctly; 0 for an empty bin
 * @param meanConfidence their mean confidence; 0 for an empty bin
 */
public record ReliabilityBin(double lower, double upper, long count, double accuracy, double meanConfidence) {

    /** |accuracy − confidence|: how far the bin is off the diagonal. */
    public double gap() {
        return Math.abs(accuracy - meanConfidence);
    }
}
