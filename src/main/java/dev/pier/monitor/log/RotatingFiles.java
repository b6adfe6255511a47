package dev.pier.monitor.log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Appends lines to {@code predictions-<yyyyMMdd'T'HHmmss'Z'>-<seq>.jsonl} files in one directory, starting a
 * new file before one would pass {@code maxFileBytes} and deleting the oldest before a new one would make more
 * than {@code maxFiles}, so the directory never holds more than {@code maxFiles × maxFileBytes} of log (files
 * left by an earlier run count too). Not thread-safe: the prediction log's one writer thread owns it.
 */
final class RotatingFiles implements AutoCloseable {
    static final Pattern NAME = Pattern.compile("predictions-(\\d{8}T\\d{6}Z)-(\\d+)\\.jsonl");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final long maxFileBytes;
    private final int maxFiles;
    private final Deque<Path> files = new ArrayDeque<>(); // oldest first; the last is the open one
    private long seq;
    private OutputStream out;
    private long written;

    RotatingFiles(Path directory, long maxFileBytes, int maxFiles) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        for (Path p : existing(directory)) {
            files.add(p);
            Matcher m = NAME.matcher(p.getFileName().toString());
            if (m.matches()) {
                seq = Math.max(seq, Long.parseLong(m.group(2)));
            }
        }
    }

    /** The log files in a directory, oldest first (by sequence number, which only grows). */
    static List<Path> existing(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            List<Path> out = new ArrayList<>(
                    s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                            .toList());
            out.sort(Comparator.comparingLong(RotatingFiles::seqOf));
            return out;
        }
    }

    private static long seqOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(2)) : 0;
    }

    /** @return false when the line is larger than a whole file may be (it is not written) */
    boolean append(byte[] line) throws IOException {
        if (line.length > maxFileBytes) {
            return false;
        }
        if (out == null || written + line.length > maxFileBytes) {
            rotate();
        }
        out.write(line);
        written += line.length;
        return true;
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    private void rotate() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        // delete first, so the new file never makes one too many, not even for a moment
        while (files.size() >= maxFiles) {
            Files.deleteIfExists(files.removeFirst());
        }
        seq++;
        Path next = directory.resolve(
                "predictions-" + STAMP.format(Instant.now()) + "-" + String.format("%06d", seq) + ".jsonl");
        out = new BufferedOutputStream(Files.newOutputStream(next), 64 * 1024);
        files.addLast(next);
        written = 0;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
