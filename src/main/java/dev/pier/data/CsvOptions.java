package dev.pier.data;

/**
 * How to read a CSV dataset. Immutable.
 *
 * @param labelColumn   the label column: a header name, or a 0-based index ({@code "0"}); {@code -1} or null
 *                      (default) means the last column
 * @param header        whether the first row is a header; null (default) detects it (a first row with a
 *                      non-numeric feature cell is a header)
 * @param normalization how to scale each feature column; default {@link Normalization#NONE}
 * @param separator     the field separator; default ','
 */
public record CsvOptions(String labelColumn, Boolean header, Normalization normalization, char separator) {

    /** Per-column feature scaling, computed on the file itself. */
    public enum Normalization {
        /** Values as written. */
        NONE,
        /** {@code (x - min) / (max - min)} per column, into [0, 1]; constant columns become 0. */
        MINMAX,
        /** {@code (x - mean) / stddev} per column; constant columns become 0. */
        STANDARD
    }

    public CsvOptions {
        if (normalization == null) {
            normalization = Normalization.NONE;
        }
    }

    public static CsvOptions defaults() {
        return new CsvOptions(null, null, Normalization.NONE, ',');
    }

    public CsvOptions withLabelColumn(String column) {
        return new CsvOptions(column, header, normalization, separator);
    }

    public CsvOptions withHeader(Boolean hasHeader) {
        return new CsvOptions(labelColumn, hasHeader, normalization, separator);
    }

    public CsvOptions withNormalization(Normalization n) {
        return new CsvOptions(labelColumn, header, n, separator);
    }
}
