package dev.pier.packaging;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.pier.api.InternalException;
import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pier package}: builds an OCI image of Pier and a model repository with Jib core, without a Docker
 * daemon, and pushes it, loads it into Docker, or writes a {@code docker load}-able tarball (atomically).
 * Registry credentials come from the usual Docker config and credential helpers. Thread-safe (no state).
 */
public final class ImagePackager {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePackager.class);

    /** What was built. */
    public record Result(String image, String digest, String imageId, List<PackagedModel> models) {}

    public Result build(PackageOptions o) throws IOException, InterruptedException {
        List<PackagedModel> models = ModelRepositoryScan.scan(o.modelRepository(), o.allVersions());
        ImageReference target = parse(o.image(), "--image");
        // Jib's lifecycle steps ("Getting manifest for base image ...", "Pushing ...") are the progress a user waits on
        Consumer<LogEvent> log = e -> {
            if (e.getMessage().isBlank()) {
                return;
            }
            if (e.getLevel() == LogEvent.Level.LIFECYCLE || e.getLevel() == LogEvent.Level.ERROR) {
                LOG.info("jib: {}", e.getMessage().strip());
            } else {
                LOG.debug("jib: {}", e.getMessage());
            }
        };
        LOG.info(
                "building {} from base {} ({} model(s)){}",
                o.image(),
                o.base(),
                models.size(),
                LocalRuntimeBase.SPEC.equals(o.base())
                        ? "; the first jre:local build runs jdeps and jlink (about a minute)"
                        : "; pulling a registry base can take a minute");
        JibContainerBuilder builder = from(baseReference(o), log)
                .setFileEntriesLayers(ImageLayout.layers(o.classpath(), models))
                .setEntrypoint(ImageLayout.entrypoint())
                .setProgramArguments(ImageLayout.arguments())
                .setUser(ImageLayout.USER)
                .setEnvironment(ImageLayout.environment())
                .setLabels(ImageLayout.labels(o.image(), o.base(), models))
                // Jib's default is the epoch (reproducible builds); `podman images` then says "56 years ago"
                .setCreationTime(java.time.Instant.now())
                // registries take OCI manifests; tarballs and the daemon get Docker's format, which every
                // docker/podman load accepts (OCI archives need Docker 25+)
                .setFormat(o.target() instanceof PackageOptions.Target.Registry ? ImageFormat.OCI : ImageFormat.Docker);
        ImageLayout.PORTS.forEach(p -> builder.addExposedPort(Port.tcp(p)));

        Path tarTmp = null;
        Containerizer containerizer = switch (o.target()) {
            case PackageOptions.Target.Registry r ->
                Containerizer.to(RegistryImage.named(target)
                        .addCredentialRetriever(
                                CredentialRetrieverFactory.forImage(target, log).dockerConfig())
                        .addCredentialRetriever(
                                CredentialRetrieverFactory.forImage(target, log).wellKnownCredentialHelpers()));
            case PackageOptions.Target.Docker d -> Containerizer.to(DockerDaemonImage.named(target));
            case PackageOptions.Target.Tar t -> {
                tarTmp = AtomicFiles.tempFor(t.file());
                yield Containerizer.to(TarImage.at(tarTmp).named(target));
            }
        };
        containerizer
                .setToolName("pier")
                .setAllowInsecureRegistries(isLocal(target) || isLocalBase(o.base()))
                .addEventHandler(LogEvent.class, log);
        try {
            JibContainer built = builder.containerize(containerizer);
            if (o.target() instanceof PackageOptions.Target.Tar t) {
                AtomicFiles.publish(tarTmp, t.file());
            }
            return new Result(
                    target.toString(),
                    built.getDigest().toString(),
                    built.getImageId().toString(),
                    models);
        } catch (java.util.concurrent.ExecutionException
                | com.google.cloud.tools.jib.api.RegistryException
                | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
            Throwable cause =
                    e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new InternalException(
                    "building image " + o.image() + " from base " + o.base() + " failed: " + cause.getMessage()
                            + offlineHint(cause, o.base()),
                    cause);
        } finally {
            if (tarTmp != null) {
                Files.deleteIfExists(tarTmp);
            }
        }
    }

    /**
     * The base Jib builds from: {@code jre:local} becomes the {@code tar://} of a {@link LocalRuntimeBase} made (or
     * found in the cache) for exactly the classpath that goes into the image; every other base is used as given.
     */
    private static String baseReference(PackageOptions o) throws IOException, InterruptedException {
        if (!LocalRuntimeBase.SPEC.equals(o.base())) {
            return o.base();
        }
        List<Path> serving = o.classpath().stream()
                .filter(p -> Files.isDirectory(p)
                        || (Files.isRegularFile(p)
                                && ImageLayout.servingJar(p.getFileName().toString())))
                .toList();
        LocalRuntimeBase.Built built = new LocalRuntimeBase(LocalRuntimeBase.defaultCache(), LOG::info).build(serving);
        LOG.info("jre:local: base {} (modules {})", built.tarball(), String.join(",", built.modules()));
        return Jib.TAR_IMAGE_PREFIX + built.tarball();
    }

    /** {@code tar://PATH} and {@code docker://REF} go to Jib as they are; a registry base gets Docker credentials. */
    private static JibContainerBuilder from(String base, Consumer<LogEvent> log) {
        try {
            if (base.startsWith(Jib.TAR_IMAGE_PREFIX)) {
                Path tar = Path.of(base.substring(Jib.TAR_IMAGE_PREFIX.length()));
                if (!Files.isRegularFile(tar)) {
                    throw new java.io.UncheckedIOException(
                            new java.nio.file.NoSuchFileException(tar.toString(), null, "--base tar:// image"));
                }
                return Jib.from(base);
            }
            if (base.startsWith(Jib.DOCKER_DAEMON_IMAGE_PREFIX)) {
                return Jib.from(base);
            }
            String ref = base.startsWith(Jib.REGISTRY_IMAGE_PREFIX)
                    ? base.substring(Jib.REGISTRY_IMAGE_PREFIX.length())
                    : base;
            ImageReference image = parse(ref, "--base");
            return Jib.from(RegistryImage.named(image)
                    .addCredentialRetriever(
                            CredentialRetrieverFactory.forImage(image, log).dockerConfig()));
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("--base '" + base + "' is not an image reference: " + e.getMessage());
        }
    }

    /** A base that cannot be fetched (no network, no DNS, a proxy): say how to build from a local base instead. */
    static String offlineHint(Throwable failure, String base) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.UnknownHostException
                    || t instanceof java.net.ConnectException
                    || t instanceof java.net.NoRouteToHostException
                    || t instanceof java.net.SocketTimeoutException
                    || t instanceof javax.net.ssl.SSLException) {
                return base.startsWith(Jib.TAR_IMAGE_PREFIX) || base.startsWith(Jib.DOCKER_DAEMON_IMAGE_PREFIX)
                        ? ""
                        : "; the base image's registry cannot be reached (offline?): build from a local base with "
                                + "--base jre:local (a runtime jlink'ed from this JDK), --base docker://REF (an image in the "
                                + "local Docker daemon) or --base tar://FILE (docker save / skopeo copy)";
            }
        }
        return "";
    }

    private static ImageReference parse(String ref, String option) {
        try {
            return ImageReference.parse(ref);
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException(
                    option + " '" + ref + "' is not an image reference such as " + "registry.example.com/team/mnist:1");
        }
    }

    /** Plain HTTP is only allowed to a registry on this machine (e.g. a test registry on 127.0.0.1:5000). */
    private static boolean isLocal(ImageReference ref) {
        String host = ref.getRegistry();
        return host.startsWith("localhost") || host.startsWith("127.0.0.1");
    }

    private static boolean isLocalBase(String base) {
        String ref =
                base.startsWith(Jib.REGISTRY_IMAGE_PREFIX) ? base.substring(Jib.REGISTRY_IMAGE_PREFIX.length()) : base;
        return ref.startsWith("localhost") || ref.startsWith("127.0.0.1");
    }
}
