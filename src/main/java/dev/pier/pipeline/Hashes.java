package dev.pier.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 of files, folders (every regular file's relative path and content, in name order) and parameter maps. Stateless. */
public final class Hashes {
    static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Hashes() {}

    public static String file(Path file) {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** A file's hash, or a folder's: relative paths and contents of its regular files, hidden ones excluded. */
    public static String path(Path path) {
        if (!Files.isDirectory(path)) {
            return file(path);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !path.relativize(p).toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
        MessageDigest d = digest();
        for (Path f : files) {
            d.update(path.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(file(f).getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** The hash of a value's canonical JSON (map keys sorted), so equal parameters give equal keys. */
    public static String of(Object value) {
        try {
            return text(CANONICAL.writeValueAsString(CANONICAL.valueToTree(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }

    public static String text(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static String shortForm(String hash) {
        return hash == null ? "-" : hash.substring(0, Math.min(12, hash.length()));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
