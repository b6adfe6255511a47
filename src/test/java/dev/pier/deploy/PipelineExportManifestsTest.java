package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.pipeline.KubernetesExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier pipeline export --to kubernetes}: one Job per configured stage, in order, sharing the workspace claim;
 * strictly valid against the shared schemas. The schemas carry no batch/v1 group, so each Job's pod template is
 * validated as a core v1 PodTemplate (everything in a Job that is not Job-level: containers, volumes, init containers).
 */
class PipelineExportManifestsTest {
    @TempDir
    Path dir;

    @Test
    void jobsPerStageInOrderOnOneClaimAndStrictlyValid() throws Exception {
        StrictSchemas.assumePresent();
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, """
                name: mnist
                data:    {train: mnist:train, test: mnist:test}
                train:   {arch: "mlp:128", epochs: 3}
                gates:   {accuracy: {min: 0.9}, baseline: serving}
                publish: {repository: models, model: mnist}
                """);
        List<Path> files = new KubernetesExport()
                .write(
                        file,
                        new KubernetesExport.Options("registry.example.com/pier:1", "pier-mnist", "5Gi", null),
                        dir.resolve("k8s"));
        List<String> jobs = new ArrayList<>();
        String previous = null;
        for (Path f : files) {
            JsonNode m = StrictSchemas.readYaml(f);
            if (m.path("kind").asText().equals("Job")) {
                assertThat(m.path("apiVersion").asText()).isEqualTo("batch/v1");
                String stage =
                        m.path("metadata").path("labels").path("pier.dev/stage").asText();
                jobs.add(stage);
                JsonNode pod = m.path("spec").path("template").path("spec");
                assertThat(pod.path("volumes")
                                .get(0)
                                .path("persistentVolumeClaim")
                                .path("claimName")
                                .asText())
                        .isEqualTo("pier-mnist-workspace");
                assertThat(pod.path("containers").get(0).path("command").toString())
                        .contains("--from " + stage + " --until " + stage)
                        // images have no pier script: the image's own Java command line runs the CLI
                        .contains("'dev.pier.cli.PierCli' pipeline run")
                        .doesNotContain("&& pier ");
                assertThat(pod.path("securityContext").path("fsGroup").asInt()).isEqualTo(10001);
                if (previous == null) {
                    assertThat(pod.path("initContainers").isMissingNode()
                                    || pod.path("initContainers").isEmpty())
                            .isTrue();
                } else {
                    assertThat(pod.path("initContainers").get(0).path("command").toString())
                            .contains("/workspace/.pier/done/" + previous);
                }
                previous = stage;
                ObjectNode template = JsonNodeFactory.instance
                        .objectNode()
                        .put("apiVersion", "v1")
                        .put("kind", "PodTemplate");
                template.putObject("metadata")
                        .put("name", m.path("metadata").path("name").asText());
                template.set("template", m.path("spec").path("template"));
                assertThat(StrictSchemas.validate(template)).as(f.toString()).isEmpty();
            } else {
                assertThat(StrictSchemas.validate(m)).as(f.toString()).isEmpty();
            }
        }
        assertThat(jobs).containsExactly("data", "train", "evaluate", "gates", "publish");
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .first()
                .asString()
                .contains("persistentvolumeclaim");
    }
}
