package dev.pier.compress.prune;

/**
 * A float tensor being pruned (row-major), with the two operations structured pruning needs. Immutable
 * by convention: operations return new tensors.
 *
 * @param dims   shape
 * @param values row-major values
 */
record PruneTensor(long[] dims, float[] values) {

    /**
     * Keeps the given entries along {@code axis}, where each logical entry spans {@code block} consecutive
     * indexes of that axis (1 normally; {@code H·W} for a dense weight's rows fed by a flattened channel).
     */
    PruneTensor select(int axis, int[] keep, int block) {
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= dims[d];
        }
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        int n = (int) dims[axis];
        int chunk = (int) (block * inner);
        long[] outDims = dims.clone();
        outDims[axis] = (long) keep.length * block;
        float[] out = new float[Math.toIntExact(outer * keep.length * chunk)];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < keep.length; k++) {
                System.arraycopy(
                        values,
                        (int) (o * n * inner + (long) keep[k] * chunk),
                        out,
                        (o * keep.length + k) * chunk,
                        chunk);
            }
        }
        return new PruneTensor(outDims, out);
    }

    /** Σ v² per logical entry of {@code axis} ({@code count} entries of {@code block} indexes each). */
    double[] sumSquares(int axis, int count, int block) {
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= dims[d];
        }
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        int n = (int) dims[axis];
        double[] s = new double[count];
        for (long o = 0; o < outer; o++) {
            for (int i = 0; i < n; i++) {
                int entry = i / block;
                long base = (o * n + i) * inner;
                for (long j = 0; j < inner; j++) {
                    double v = values[(int) (base + j)];
                    s[entry] += v * v;
                }
            }
        }
        return s;
    }
}
