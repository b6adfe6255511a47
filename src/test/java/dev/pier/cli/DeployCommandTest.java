package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pier.deploy.CapacitySizing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {

    @TempDir
    Path tmp;

    @Test
    void kubernetesWritesManifestsSizedFromCapacity() throws Exception {
        Path out = tmp.resolve("k8s");
        int code = PierCli.execute(
                "deploy",
                "kubernetes",
                "--image",
                "registry.example.com/team/mnist:1",
                "--capacity-rps",
                "80",
                "--peak-rps",
                "600",
                "--target-utilization",
                "0.5",
                "--out",
                out.toString());
        assertThat(code).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(
                            ".pier-manifests",
                            "01-service-pier.yaml",
                            "02-deployment-pier.yaml",
                            "03-horizontalpodautoscaler-pier.yaml",
                            "04-poddisruptionbudget-pier.yaml");
        }
        var expected = CapacitySizing.plan(CapacitySizing.Inputs.of(80, 600, 0.5));
        JsonNode hpa = new YAMLMapper()
                .readTree(out.resolve("03-horizontalpodautoscaler-pier.yaml").toFile());
        assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(expected.maxReplicas());
        assertThat(hpa.path("spec")
                        .path("metrics")
                        .get(0)
                        .path("resource")
                        .path("target")
                        .path("averageUtilization")
                        .asInt())
                .isEqualTo(50);
        assertThat(hpa.path("metadata")
                        .path("annotations")
                        .path("pier.dev/sizing")
                        .asText())
                .isEqualTo(expected.reasoning());
    }

    /** Issue 19 item 4: the HPA owns the replica count (a written one resets its scale on every apply). */
    @Test
    void withAnAutoscalerTheDeploymentLeavesReplicasToIt() throws Exception {
        Path out = tmp.resolve("min");
        assertThat(PierCli.execute(
                        "deploy", "kubernetes", "--image", "img:1", "--autoscale", "3..9", "--out", out.toString()))
                .isZero();
        JsonNode d =
                new YAMLMapper().readTree(out.resolve("02-deployment-pier.yaml").toFile());
        assertThat(d.path("spec").has("replicas")).isFalse();
        JsonNode hpa = new YAMLMapper()
                .readTree(out.resolve("03-horizontalpodautoscaler-pier.yaml").toFile());
        assertThat(hpa.path("spec").path("minReplicas").asInt()).isEqualTo(3);

        Path fixed = tmp.resolve("fixed");
        assertThat(PierCli.execute(
                        "deploy", "kubernetes", "--image", "img:1", "--replicas", "4", "--out", fixed.toString()))
                .isZero();
        assertThat(new YAMLMapper()
                        .readTree(fixed.resolve("02-deployment-pier.yaml").toFile())
                        .path("spec")
                        .path("replicas")
                        .asInt())
                .isEqualTo(4);
    }

    /** Issue 19 item 4: one set of shutdown timings, given to the server and used for the grace period. */
    @Test
    void theServerGetsTheShutdownTimingsTheGracePeriodWasComputedFrom() throws Exception {
        Path out = tmp.resolve("drain");
        assertThat(PierCli.execute(
                        "deploy",
                        "kubernetes",
                        "--image",
                        "img:1",
                        "--drain-seconds",
                        "10",
                        "--grace-seconds",
                        "45",
                        "--prestop-seconds",
                        "3",
                        "--out",
                        out.toString()))
                .isZero();
        JsonNode pod = new YAMLMapper()
                .readTree(out.resolve("02-deployment-pier.yaml").toFile())
                .path("spec")
                .path("template")
                .path("spec");
        JsonNode args = pod.path("containers").get(0).path("args");
        assertThat(args.toString())
                .isEqualTo(
                        "[\"serve\",\"--model-repository\",\"/models\",\"--drain-seconds\",\"10\",\"--grace-seconds\",\"45\"]");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(3 + 45 + 5);

        CliRun bad = CliRun.of(
                "deploy",
                "kubernetes",
                "--image",
                "img:1",
                "--drain-seconds",
                "40",
                "--grace-seconds",
                "30",
                "--out",
                tmp.resolve("bad").toString());
        assertThat(bad.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(bad.err()).contains("--grace-seconds (30) must be at least --drain-seconds (40)");
    }

    /** Issue 19 item 3: a second run replaces the first run's files; a folder with foreign files is refused. */
    @Test
    void aSecondRunReplacesTheFirstRunsManifestsAndForeignFilesAreRefused() throws Exception {
        Path out = tmp.resolve("k8s");
        assertThat(PierCli.execute(
                        "deploy",
                        "kubernetes",
                        "--image",
                        "img:1",
                        "--model-repository",
                        models().toString(),
                        "--out",
                        out.toString()))
                .isZero();
        assertThat(out.resolve("03-deployment-pier.yaml")).exists();
        assertThat(PierCli.execute("deploy", "kubernetes", "--image", "img:2", "--out", out.toString()))
                .isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(
                            ".pier-manifests",
                            "01-service-pier.yaml",
                            "02-deployment-pier.yaml",
                            "03-poddisruptionbudget-pier.yaml");
        }
        assertThat(out.resolve("02-deployment-pier.yaml"))
                .content()
                .contains("img:2")
                .doesNotContain("img:1");

        Files.writeString(out.resolve("ingress.yaml"), "kind: Ingress\n");
        CliRun refused = CliRun.of("deploy", "kubernetes", "--image", "img:3", "--out", out.toString());
        assertThat(refused.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(refused.err()).contains("ingress.yaml").contains("did not write");
        assertThat(out.resolve("02-deployment-pier.yaml")).content().contains("img:2");
    }

    private Path models() throws Exception {
        Path repo = tmp.resolve("models");
        Files.createDirectories(repo.resolve("mnist/1"));
        Files.writeString(repo.resolve("mnist/config.yaml"), "name: mnist\n");
        return repo;
    }

    @Test
    void kserveWritesRuntimeAndInferenceService() {
        Path out = tmp.resolve("ks");
        assertThat(PierCli.execute("deploy", "kserve", "--image", "img:1", "--canary", "10", "--out", out.toString()))
                .isZero();
        assertThat(out.resolve("01-servingruntime-pier-runtime.yaml")).exists();
        assertThat(out.resolve("02-inferenceservice-pier.yaml")).content().contains("canaryTrafficPercent: 10");
    }

    @Test
    void badAutoscaleIsAUsageErrorNamingTheValue() {
        PrintStream err = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = PierCli.execute(
                    "deploy",
                    "kubernetes",
                    "--image",
                    "img:1",
                    "--autoscale",
                    "ten",
                    "--out",
                    tmp.resolve("x").toString());
            assertThat(code).isEqualTo(PierCli.EXIT_USAGE);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("--autoscale")
                .contains("'ten'");
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
