package dev.pier.packaging;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ImagePackager} builds.
 *
 * @param modelRepository the models to bake in, one layer each, at {@code /models}
 * @param image           target image reference, e.g. {@code registry.example.com/team/mnist:1}
 * @param base            base image with a JRE 21+ on the PATH: a registry reference, {@code registry://REF},
 *                        {@code docker://REF} (local daemon) or {@code tar://PATH} (default {@link #DEFAULT_BASE}),
 *                        or {@code jre:local}: a runtime jlink'ed from this JDK on host libraries, no registry
 *                        ({@link LocalRuntimeBase})
 * @param target          where the image goes
 * @param classpath       Pier's runtime classpath: directories become the classes layer, jars the dependency
 *                        layer (default: this JVM's {@code java.class.path})
 * @param allVersions     also bake in the versions the models' version policies would not serve (default false)
 */
public record PackageOptions(
        Path modelRepository, String image, String base, Target target, List<Path> classpath, boolean allVersions) {

    /** Only the served versions. */
    public PackageOptions(Path modelRepository, String image, String base, Target target, List<Path> classpath) {
        this(modelRepository, image, base, target, classpath, false);
    }

    /** A public JRE 21 image. */
    public static final String DEFAULT_BASE = "eclipse-temurin:21-jre";

    public PackageOptions {
        Objects.requireNonNull(modelRepository, "modelRepository");
        Objects.requireNonNull(target, "target");
        classpath = List.copyOf(classpath);
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException(
                    "--image must name the image to build, e.g. " + "registry.example.com/team/mnist:1");
        }
        if (base == null || base.isBlank()) {
            throw new IllegalArgumentException("--base must name a base image, got '" + base + "'");
        }
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("the classpath to package is empty");
        }
    }

    /** Where the built image goes. */
    public sealed interface Target {
        /** Push to the registry named in the image reference, with credentials from the Docker config. */
        record Registry() implements Target {}

        /** Write a tarball that {@code docker load} and {@code podman load} accept. */
        record Tar(Path file) implements Target {}

        /** Load into the local Docker daemon. */
        record Docker() implements Target {}

        /** Parses {@code registry}, {@code docker} or {@code tar:FILE}. */
        static Target parse(String spec) {
            if (spec == null || spec.equals("registry")) {
                return new Registry();
            }
            if (spec.equals("docker")) {
                return new Docker();
            }
            if (spec.startsWith("tar:") && spec.length() > 4) {
                return new Tar(Path.of(spec.substring(4)));
            }
            throw new IllegalArgumentException("--to must be 'registry', 'docker' or 'tar:FILE', got '" + spec + "'");
        }
    }

    /** Parses the CLI's {@code --to} value. */
    public static Target parseTarget(String spec) {
        return Target.parse(spec);
    }

    /** This JVM's classpath, as {@code bin/pier} sets it (target/classes and the runtime jars). */
    public static List<Path> currentClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .toList();
    }
}
