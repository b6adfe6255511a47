package dev.pier.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Loads a CSV file of numeric feature columns and one label column into a {@link LabeledData} of
 * {@code [features]} examples. Labels that are all non-negative integers are used as class indices
 * (classes = max + 1); otherwise the distinct label strings, sorted, become classes 0..k-1.
 * Stateless and thread-safe.
 */
public final class CsvLoader {
    private CsvLoader() {}

    public static LabeledData load(Path file, CsvOptions options) throws IOException {
        List<String[]> rows = readRows(file, options.separator());
        if (rows.isEmpty()) {
            throw new InvalidInputException(file + ": the CSV file is empty");
        }
        int width = rows.getFirst().length;
        if (width < 2) {
            throw new InvalidInputException(
                    file + ": expected at least one feature column and a label column, found " + width + " column(s)");
        }
        boolean header = options.header() != null ? options.header() : looksLikeHeader(rows.getFirst(), options, width);
        String[] names = header ? rows.removeFirst() : null;
        int labelIndex = labelIndex(file, options.labelColumn(), names, width);
        int n = rows.size();
        if (n == 0) {
            throw new InvalidInputException(file + ": the CSV file has a header but no data rows");
        }
        int f = width - 1;
        float[] features = new float[n * f];
        String[] rawLabels = new String[n];
        for (int r = 0; r < n; r++) {
            String[] row = rows.get(r);
            int line = r + 1 + (header ? 1 : 0);
            if (row.length != width) {
                throw new InvalidInputException(
                        file + ": row " + line + " has " + row.length + " columns, expected " + width);
            }
            int k = 0;
            for (int c = 0; c < width; c++) {
                if (c == labelIndex) {
                    rawLabels[r] = row[c].strip();
                    continue;
                }
                try {
                    features[r * f + k++] = Float.parseFloat(row[c].strip());
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(file + ": row " + line + ", column "
                            + (names != null ? names[c] : c) + ": expected a number, got '" + row[c] + "'");
                }
            }
        }
        FeatureScaling scaling = Normalizer.fit(features, n, f, options.normalization());
        if (scaling != null) {
            scaling.apply(features);
        }
        Labels labels = Labels.of(rawLabels);
        return new LabeledData(
                file.getFileName().toString(),
                features,
                Shape.of(f),
                labels.indices(),
                labels.classes(),
                scaling,
                labels.names());
    }

    private static List<String[]> readRows(Path file, char separator) throws IOException {
        CsvMapper mapper = new CsvMapper()
                .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
                .enable(CsvParser.Feature.TRIM_SPACES);
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class)
                .with(CsvSchema.emptySchema().withColumnSeparator(separator))
                .readValues(file.toFile())) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    private static boolean looksLikeHeader(String[] first, CsvOptions options, int width) {
        int label = -1;
        if (options.labelColumn() != null && options.labelColumn().matches("-?\\d+")) {
            label = Integer.parseInt(options.labelColumn());
        } else if (options.labelColumn() != null) {
            return true; // a label column given by name needs a header
        }
        if (label < 0) {
            label = width - 1;
        }
        for (int c = 0; c < first.length; c++) {
            if (c != label && !isNumber(first[c])) {
                return true;
            }
        }
        return false;
    }

    private static int labelIndex(Path file, String column, String[] names, int width) {
        if (column == null || column.equals("-1")) {
            return width - 1;
        }
        if (column.matches("\\d+")) {
            int i = Integer.parseInt(column);
            if (i >= width) {
                throw new InvalidInputException(file + ": label column index " + i + " is out of range; the file has "
                        + width + " columns (0.." + (width - 1) + ")");
            }
            return i;
        }
        if (names == null) {
            throw new InvalidInputException(
                    file + ": label column '" + column + "' is a name but the file has no header row");
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].strip().equals(column)) {
                return i;
            }
        }
        throw new InvalidInputException(file + ": no column named '" + column + "'; the header has " + List.of(names));
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Class indices for raw label strings, and the class names when the labels are not already indices. */
    record Labels(int[] indices, int classes, List<String> names) {
        static Labels of(String[] raw) {
            int[] idx = new int[raw.length];
            boolean integral = true;
            int max = -1;
            for (int i = 0; i < raw.length && integral; i++) {
                if (raw[i].matches("\\d{1,9}")) {
                    idx[i] = Integer.parseInt(raw[i]);
                    max = Math.max(max, idx[i]);
                } else {
                    integral = false;
                }
            }
            if (integral) {
                return new Labels(idx, max + 1, List.of());
            }
            List<String> names = new ArrayList<>(new TreeSet<>(List.of(raw)));
            for (int i = 0; i < raw.length; i++) {
                idx[i] = names.indexOf(raw[i]);
            }
            return new Labels(idx, names.size(), names);
        }
    }
}
