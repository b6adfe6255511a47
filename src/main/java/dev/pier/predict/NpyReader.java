package dev.pier.predict;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NumPy {@code .npy} file (format versions 1, 2 and 3) into a {@link Tensor}. Only C-order arrays of
 * little-endian (or single-byte) numeric and bool dtypes are accepted; anything else gets an error naming the
 * dtype found and the ones supported. Stateless; thread-safe.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** numpy descr → V2 datatype; '|' and '<' are the byte orders we can copy as-is. */
    private static final Map<String, DataType> TYPES = Map.ofEntries(
            Map.entry("<f4", DataType.FP32),
            Map.entry("<f8", DataType.FP64),
            Map.entry("<f2", DataType.FP16),
            Map.entry("<i8", DataType.INT64),
            Map.entry("<i4", DataType.INT32),
            Map.entry("<i2", DataType.INT16),
            Map.entry("|i1", DataType.INT8),
            Map.entry("|u1", DataType.UINT8),
            Map.entry("<u2", DataType.UINT16),
            Map.entry("<u4", DataType.UINT32),
            Map.entry("<u8", DataType.UINT64),
            Map.entry("|b1", DataType.BOOL));

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {}

    public static Tensor read(Path file, String tensorName) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("input file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, tensorName, file.toString());
    }

    /** Parses the bytes of a .npy file; {@code source} names it in errors. */
    public static Tensor parse(byte[] bytes, String tensorName, String source) {
        if (bytes.length < 10 || !java.util.Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
            throw new IllegalArgumentException(source + " is not a NumPy .npy file (expected the magic \\x93NUMPY)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int headerStart;
        switch (major) {
            case 1 -> {
                headerLength = buf.getShort(8) & 0xffff;
                headerStart = 10;
            }
            case 2, 3 -> {
                if (bytes.length < 12) {
                    throw new IllegalArgumentException(source + ": truncated .npy header");
                }
                headerLength = buf.getInt(8);
                headerStart = 12;
            }
            default ->
                throw new IllegalArgumentException(
                        source + ": unsupported .npy format version " + major + " (supported: 1, 2, 3)");
        }
        if (headerLength < 0 || headerStart + headerLength > bytes.length) {
            throw new IllegalArgumentException(source + ": .npy header length " + headerLength
                    + " runs past the end of the file (" + bytes.length + " bytes)");
        }
        String header = new String(
                bytes, headerStart, headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr", source);
        if ("True".equals(group(FORTRAN, header, "fortran_order", source))) {
            throw new IllegalArgumentException(source + ": fortran_order arrays are not supported; save a C-order "
                    + "array (numpy.ascontiguousarray) instead");
        }
        DataType type = TYPES.get(descr.replace('=', '<'));
        if (type == null) {
            throw new IllegalArgumentException(source + ": unsupported .npy dtype '" + descr + "'; supported: "
                    + new java.util.TreeSet<>(TYPES.keySet()));
        }
        long[] dims = dims(group(SHAPE, header, "shape", source), source);
        Shape shape = Shape.of(dims);
        long expected = shape.elementCount() * type.byteSize();
        int dataStart = headerStart + headerLength;
        if (bytes.length - dataStart != expected) {
            throw new IllegalArgumentException(source + ": shape " + shape + " of " + descr + " needs " + expected
                    + " data bytes but the file has " + (bytes.length - dataStart));
        }
        byte[] data = java.util.Arrays.copyOfRange(bytes, dataStart, bytes.length);
        return Tensor.ofPacked(tensorName, type, shape, data);
    }

    private static String group(Pattern p, String header, String key, String source) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(source + ": .npy header has no '" + key + "' entry: " + header.strip());
        }
        return m.group(1);
    }

    private static long[] dims(String text, String source) {
        List<Long> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.endsWith("L")) {
                s = s.substring(0, s.length() - 1); // Python 2 longs
            }
            try {
                out.add(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": bad .npy shape entry '" + part.strip() + "'");
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
