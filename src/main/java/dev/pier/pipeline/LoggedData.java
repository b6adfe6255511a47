package dev.pier.pipeline;

import dev.pier.data.LabeledData;
import dev.pier.monitor.log.LoggedExample;
import dev.pier.monitor.log.LoggedTraffic;
import dev.pier.monitor.log.PredictionLogReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Labelled production traffic as training data: the prediction log's requests joined with their feedback
 * ({@link PredictionLogReader}), one example per row, stored in the data stage's folder as a small binary file
 * (example size, count, features, labels) that the train stage appends to its training set. Stateless.
 */
final class LoggedData {
    static final String FILE = "extra.bin";
    /** The labelled logged rows kept out of training, on which {@code baseline: serving} compares the two models. */
    static final String HOLDOUT = "extra-holdout.bin";
    /** Every HOLDOUT_EVERY-th labelled row is held out: deterministic, and spread over the whole log. */
    static final int HOLDOUT_EVERY = 5;

    private LoggedData() {}

    record Extracted(float[] features, int[] labels, int exampleSize, int predictions, int feedback) {
        int count() {
            return labels.length;
        }

        /**
         * Splits the rows: every {@link #HOLDOUT_EVERY}-th (in log order) into the second part. The candidate trains
         * on the first part only, so comparing it with the served version on the second does not favour it with rows
         * it has learnt.
         */
        Extracted[] split() {
            int per = exampleSize;
            List<Integer> keep = new ArrayList<>();
            List<Integer> held = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                (i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1 ? held : keep).add(i);
            }
            return new Extracted[] {rows(keep, per), rows(held, per)};
        }

        private Extracted rows(List<Integer> rows, int per) {
            float[] f = new float[rows.size() * per];
            int[] l = new int[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                System.arraycopy(features, rows.get(k) * per, f, k * per, per);
                l[k] = labels[rows.get(k)];
            }
            return new Extracted(f, l, per, predictions, feedback);
        }

        void write(Path file) throws IOException {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
                out.writeInt(exampleSize);
                out.writeInt(labels.length);
                for (float f : features) {
                    out.writeFloat(f);
                }
                for (int l : labels) {
                    out.writeInt(l);
                }
            }
        }
    }

    static Extracted extract(Path logDir, String model) {
        LoggedTraffic traffic = PredictionLogReader.read(logDir, model, OptionalLong.empty());
        int size = -1;
        java.util.List<float[]> rows = new java.util.ArrayList<>();
        java.util.List<Integer> labels = new java.util.ArrayList<>();
        for (LoggedExample e : traffic.examples()) {
            float[] x = e.input().floats();
            int n = e.labels().length;
            if (n == 0 || x.length % n != 0) {
                continue;
            }
            int per = x.length / n;
            if (size >= 0 && per != size) {
                throw new IllegalArgumentException(
                        "logged traffic in " + logDir + " mixes examples of " + size + " and " + per + " values");
            }
            size = per;
            for (int r = 0; r < n; r++) {
                rows.add(java.util.Arrays.copyOfRange(x, r * per, (r + 1) * per));
                labels.add(e.labels()[r]);
            }
        }
        float[] features = new float[Math.max(size, 0) * rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, features, i * size, size);
        }
        return new Extracted(
                features,
                labels.stream().mapToInt(Integer::intValue).toArray(),
                Math.max(size, 0),
                traffic.predictions(),
                traffic.feedback());
    }

    /**
     * The logged examples in {@code file} as a dataset shaped like {@code like} (the test data: same example shape
     * and classes), or empty when the file holds none.
     */
    static Optional<LabeledData> read(Path file, LabeledData like) throws IOException {
        LabeledData empty =
                new LabeledData("logged traffic", new float[0], like.exampleShape(), new int[0], like.numClasses());
        LabeledData all = append(empty, file);
        return all.count() == 0
                ? Optional.empty()
                : Optional.of(new LabeledData(
                        "labelled logged traffic (" + all.count() + " held-out rows)",
                        all.features(),
                        all.exampleShape(),
                        all.labels(),
                        all.numClasses()));
    }

    /** Appends the logged examples in {@code file} to {@code data}, in its example shape. */
    static LabeledData append(LabeledData data, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int size = in.readInt();
            int count = in.readInt();
            if (count == 0) {
                return data;
            }
            if (size != data.exampleSize()) {
                throw new IllegalArgumentException("logged traffic has examples of " + size + " values, but "
                        + data.name() + " has " + data.exampleSize() + " (shape " + data.exampleShape() + ")");
            }
            float[] features = java.util.Arrays.copyOf(data.features(), data.features().length + size * count);
            for (int i = data.features().length; i < features.length; i++) {
                features[i] = in.readFloat();
            }
            int[] labels = java.util.Arrays.copyOf(data.labels(), data.count() + count);
            for (int i = data.count(); i < labels.length; i++) {
                labels[i] = in.readInt();
            }
            return new LabeledData(
                    data.name() + " + " + count + " logged", features, data.exampleShape(), labels, data.numClasses());
        }
    }
}
