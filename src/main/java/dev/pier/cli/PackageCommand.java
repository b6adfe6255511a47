package dev.pier.cli;

import dev.pier.packaging.DockerfileWriter;
import dev.pier.packaging.ImagePackager;
import dev.pier.packaging.ModelRepositoryScan;
import dev.pier.packaging.PackageOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier package}: an OCI image of Pier and a model repository, built with Jib (no Docker daemon). */
@Command(
        name = "package",
        mixinStandardHelpOptions = true,
        description = "Build an OCI image of Pier and the models with Jib (no Docker daemon), or write a Dockerfile.")
final class PackageCommand implements Callable<Integer> {
    @Option(
            names = "--model-repository",
            required = true,
            description = "Model repository: <model>/<version>/model.onnx.")
    Path modelRepository;

    @Option(names = "--image", required = true, description = "Image to build, e.g. registry.example.com/team/mnist:1.")
    String image;

    @Option(
            names = "--base",
            defaultValue = PackageOptions.DEFAULT_BASE,
            description =
                    "Base image with a JRE 21+: REF, registry://REF, docker://REF, tar://FILE, or jre:local "
                            + "(a runtime jlink'ed from this JDK on the host's libraries; no registry) (default: ${DEFAULT-VALUE}).")
    String base;

    @Option(
            names = "--to",
            defaultValue = "registry",
            description = "registry (push), docker (local daemon) or tar:FILE (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--dockerfile", description = "Write a multi-stage Dockerfile here instead of building.")
    Path dockerfile;

    @Option(
            names = "--all-versions",
            description = "Also bake in the versions the models' version_policy would not serve "
                    + "(default: only the served ones; HTML reports are always left out).")
    boolean allVersions;

    @Override
    public Integer call() throws Exception {
        if (dockerfile != null) {
            var models = ModelRepositoryScan.scan(modelRepository, allVersions);
            DockerfileWriter.write(
                    dockerfile, DockerfileWriter.render(Path.of(""), modelRepository, image, base, models));
            System.out.println("wrote " + dockerfile);
            return 0;
        }
        var result = new ImagePackager()
                .build(new PackageOptions(
                        modelRepository,
                        image,
                        base,
                        PackageOptions.parseTarget(to),
                        PackageOptions.currentClasspath(),
                        allVersions));
        System.out.println("built " + result.image() + " " + result.digest());
        result.models()
                .forEach(m -> System.out.println(
                        "  model " + m.name() + " versions " + m.versions() + " sha256:" + m.sha256()));
        return 0;
    }
}
