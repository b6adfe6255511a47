package dev.pier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pier.deploy.CapacitySizing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DeployCommandTest {

    @TempDir
    Path tmp;

    @Test
    void kubernetesWritesManifestsSizedFromCapacity() throws Exception {
        Path out = tmp.resolve("k8s");
        int code = PierCli.execute("deploy", "kubernetes", "--image", "registry.example.com/team/mnist:1",
                "--capacity-rps", "80", "--peak-rps", "600", "--target-utilization", "0.5", "--out", out.toString());
        assertThat(code).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "01-service-pier.yaml", "02-deployment-pier.yaml", "03-horizontalpodautoscaler-pier.yaml",
                    "04-poddisruptionbudget-pier.yaml");
        }
        var expected = CapacitySizing.plan(CapacitySizing.Inputs.of(80, 600, 0.5));
        JsonNode hpa = new YAMLMapper().readTree(out.resolve("03-horizontalpodautoscaler-pier.yaml").toFile());
        assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(expected.maxReplicas());
        assertThat(hpa.path("spec").path("metrics").get(0).path("resource").path("target")
                .path("averageUtilization").asInt()).isEqualTo(50);
        assertThat(hpa.path("metadata").path("annotations").path("pier.dev/sizing").asText())
                .isEqualTo(expected.reasoning());
    }

    @Test
    void replicasDefaultToTheAutoscaleMinimum() throws Exception {
        Path out = tmp.resolve("min");
        assertThat(PierCli.execute("deploy", "kubernetes", "--image", "img:1", "--autoscale", "3..9",
                "--out", out.toString())).isZero();
        JsonNode d = new YAMLMapper().readTree(out.resolve("02-deployment-pier.yaml").toFile());
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
    }

    @Test
    void kserveWritesRuntimeAndInferenceService() {
        Path out = tmp.resolve("ks");
        assertThat(PierCli.execute("deploy", "kserve", "--image", "img:1", "--canary", "10", "--out",
                out.toString())).isZero();
        assertThat(out.resolve("01-servingruntime-pier-runtime.yaml")).exists();
        assertThat(out.resolve("02-inferenceservice-pier.yaml")).content().contains("canaryTrafficPercent: 10");
    }

    @Test
    void badAutoscaleIsAUsageErrorNamingTheValue() {
        PrintStream err = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = PierCli.execute("deploy", "kubernetes", "--image", "img:1", "--autoscale", "ten",
                    "--out", tmp.resolve("x").toString());
            assertThat(code).isEqualTo(PierCli.EXIT_USAGE);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--autoscale").contains("'ten'");
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
