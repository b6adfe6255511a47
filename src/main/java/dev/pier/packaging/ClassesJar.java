package dev.pier.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A directory of compiled classes as one jar, for the image's classes layer ({@link ImageLayout#CLASSES_JAR}).
 * Reproducible: entries in sorted order with a fixed time, so the same classes give the same bytes and the layer's
 * digest changes only when a class does (Jib then re-pushes nothing). Written to a temporary file removed when the
 * JVM exits.
 */
final class ClassesJar {
    /** 1980-01-01T00:00:00Z plus a day: the smallest time a zip entry keeps as given in every time zone. */
    private static final long FIXED_TIME = 315_619_200_000L;

    private ClassesJar() {}

    static Path of(Path classesDir) throws IOException {
        return of(List.of(classesDir));
    }

    /** The classes of several directories (target/classes, and test-classes in tests) in one jar; the first wins. */
    static Path of(List<Path> classesDirs) throws IOException {
        Path jar = Files.createTempFile("pier-classes-", ".jar");
        jar.toFile().deleteOnExit();
        Map<String, Path> entries = new TreeMap<>();
        for (Path dir : classesDirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : walk.filter(f -> !f.equals(dir)).toList()) {
                    // directories too, as `jar` writes them: a class loader then finds a package's folder as a resource
                    entries.putIfAbsent(
                            ModelRepositoryScan.unix(dir.relativize(f)) + (Files.isDirectory(f) ? "/" : ""), f);
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, Path> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(FIXED_TIME);
                zip.putNextEntry(entry);
                if (!e.getKey().endsWith("/")) {
                    Files.copy(e.getValue(), zip);
                }
                zip.closeEntry();
            }
        }
        return jar;
    }
}
