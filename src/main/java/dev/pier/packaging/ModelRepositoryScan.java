package dev.pier.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a Triton-style model repository ({@code root/<model>/config.yaml}, {@code root/<model>/<version>/...})
 * into {@link PackagedModel}s for packaging: what {@code pier serve} needs, so by default only the versions each
 * model's {@code version_policy} serves (latest 1 without a config) and no HTML reports ({@code *.html}, written
 * for people by evaluate and compress). Stateless.
 */
public final class ModelRepositoryScan {

    private ModelRepositoryScan() {}

    /** The served versions only. */
    public static List<PackagedModel> scan(Path root) throws IOException {
        return scan(root, false);
    }

    /** @param allVersions keep every version folder, also those the version policy would not serve */
    public static List<PackagedModel> scan(Path root, boolean allVersions) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(
                    root.toString(),
                    null,
                    "--model-repository must be a directory of <model>/<version>/model.onnx folders");
        }
        List<PackagedModel> models = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                    throw new IllegalArgumentException("model folder '" + name + "' in " + root + " must be named "
                            + "with letters, digits, '.', '_' or '-'");
                }
                models.add(model(name, dir, allVersions));
            }
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException(
                    "model repository " + root + " holds no model folders; expected " + "<model>/<version>/model.onnx");
        }
        return List.copyOf(models);
    }

    private static PackagedModel model(String name, Path dir, boolean allVersions) throws IOException {
        List<Long> versions = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(s -> s.matches("[0-9]{1,18}"))
                    .map(Long::parseLong)
                    .sorted()
                    .forEach(versions::add);
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException(
                    "model '" + name + "' has no numeric version folder; expected " + dir.resolve("1/model.onnx"));
        }
        if (!allVersions) {
            Path configFile = dir.resolve(dev.pier.repository.RepositorySource.CONFIG_FILE);
            dev.pier.repository.ModelConfig config = Files.isRegularFile(configFile)
                    ? dev.pier.repository.ModelConfigParser.parse(configFile)
                    : dev.pier.repository.ModelConfig.defaults(name);
            versions = config.versionPolicy().aspired(new java.util.TreeSet<>(versions));
            if (versions.isEmpty()) {
                throw new IllegalArgumentException("model '" + name + "': version_policy " + config.versionPolicy()
                        + " serves none of its version folders; fix the policy or package with --all-versions");
            }
        }
        java.util.Set<String> kept = new java.util.HashSet<>();
        versions.forEach(v -> kept.add(String.valueOf(v)));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .map(dir::relativize)
                    .filter(rel -> rel.getNameCount() == 1
                            || kept.contains(rel.getName(0).toString())
                            || !rel.getName(0).toString().matches("[0-9]{1,18}"))
                    .filter(rel -> !rel.getFileName().toString().endsWith(".html"))
                    .sorted((a, b) -> unix(a).compareTo(unix(b)))
                    .toList();
        }
        return new PackagedModel(name, dir, versions, files, digest(dir, files));
    }

    /** SHA-256 over each file's relative path and contents, in sorted order. */
    static String digest(Path dir, List<Path> files) throws IOException {
        MessageDigest all = sha256();
        for (Path rel : files) {
            MessageDigest one = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(dir.resolve(rel)), one)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            all.update(unix(rel).getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(one.digest());
        }
        return HexFormat.of().formatHex(all.digest());
    }

    static String unix(Path rel) {
        return rel.toString().replace('\\', '/');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
