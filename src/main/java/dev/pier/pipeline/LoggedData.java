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
import java.util.OptionalLong;

/**
 * Labelled production traffic as training data: the prediction log's requests joined with their feedback
 * ({@link PredictionLogReader}), one example per row, stored in the data stage's folder as a small binary file
 * (example size, count, features, labels) that the train stage appends to its training set. Stateless.
 */
final class LoggedData {
    static final String FILE = "extra.bin";

    private LoggedData() {
    }

    record Extracted(float[] features, int[] labels, int exampleSize, int predictions, int feedback) {
        int count() {
            return labels.length;
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
                throw new IllegalArgumentException("logged traffic in " + logDir + " mixes examples of " + size + " and " + per + " values");
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
        return new Extracted(features, labels.stream().mapToInt(Integer::intValue).toArray(), Math.max(size, 0),
                traffic.predictions(), traffic.feedback());
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
            return new LabeledData(data.name() + " + " + count + " logged", features, data.exampleShape(), labels,
                    data.numClasses());
        }
    }

}
