package dev.pier.train;

import dev.pier.data.LabeledData;
import java.util.Arrays;
import java.util.Random;

/**
 * A seeded split of a dataset into training and validation indices, and the seeded per-epoch shuffle of
 * the training part. Deterministic in (seed, epoch) so that a resumed run sees the same batches as an
 * uninterrupted one. Immutable.
 */
record DataSplit(int[] train, int[] validation) {

    static DataSplit of(LabeledData data, double validationFraction, long seed) {
        int[] all = permutation(data.count(), new Random(seed));
        int nVal = (int) Math.round(data.count() * validationFraction);
        if (data.count() - nVal <= 0) {
            throw new IllegalArgumentException(data.name() + ": " + data.count()
                    + " examples leave none to train on after a " + validationFraction + " validation split");
        }
        int[] val = Arrays.copyOfRange(all, 0, nVal);
        int[] train = Arrays.copyOfRange(all, nVal, all.length);
        Arrays.sort(val);
        Arrays.sort(train);
        return new DataSplit(train, val);
    }

    /** The training indices in this epoch's order. */
    int[] shuffled(long seed, int epoch) {
        int[] order = permutation(train.length, new Random(seed * 1_000_003L + epoch));
        int[] out = new int[train.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = train[order[i]];
        }
        return out;
    }

    private static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Copies the examples at {@code indices[from, to)} into one contiguous feature array. */
    static float[] gather(LabeledData data, int[] indices, int from, int to) {
        int size = data.exampleSize();
        float[] out = new float[(to - from) * size];
        for (int i = from; i < to; i++) {
            System.arraycopy(data.features(), indices[i] * size, out, (i - from) * size, size);
        }
        return out;
    }
}
