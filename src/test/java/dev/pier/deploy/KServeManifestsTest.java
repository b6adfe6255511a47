package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KServeManifestsTest {

    @TempDir
    Path tmp;

    private static KServeOptions canary(Optional<String> storage) {
        return new KServeOptions(
                "mnist",
                "pier-runtime",
                Optional.of("ml"),
                "registry.example.com/team/mnist:2",
                Optional.of(10),
                1,
                4,
                storage,
                KubernetesDeployOptions.Resources.DEFAULT);
    }

    @Test
    void servingRuntimeAndInferenceServiceValidateAgainstTheCrds() throws Exception {
        StrictSchemas.assumePresent();
        var files = new ManifestWriter().write(KServeManifests.build(canary(Optional.of("s3://bucket/models"))), tmp);
        assertThat(files).hasSize(2);
        JsonNode runtime = StrictSchemas.readYaml(files.get(0));
        JsonNode isvc = StrictSchemas.readYaml(files.get(1));
        assertThat(StrictSchemas.validate(runtime)).isEmpty();
        assertThat(StrictSchemas.validate(isvc)).isEmpty();

        assertThat(runtime.path("spec")
                        .path("supportedModelFormats")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("onnx");
        assertThat(runtime.path("spec").path("protocolVersions").toString()).contains("\"v2\"");
        JsonNode container = runtime.path("spec").path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("registry.example.com/team/mnist:2");
        // KServe's storage initializer puts storageUri's files at /mnt/models
        assertThat(container.path("args").toString()).contains("/mnt/models");
        JsonNode predictor = isvc.path("spec").path("predictor");
        assertThat(predictor.path("canaryTrafficPercent").asInt()).isEqualTo(10);
        assertThat(predictor.path("model").path("runtime").asText()).isEqualTo("pier-runtime");
        assertThat(predictor.path("model").path("storageUri").asText()).isEqualTo("s3://bucket/models");
    }

    @Test
    void crdValidationIsStrictToo() throws Exception {
        StrictSchemas.assumePresent();
        var isvc = KServeManifests.inferenceService(canary(Optional.empty()));
        @SuppressWarnings("unchecked")
        var spec =
                (java.util.Map<String, Object>) isvc.getAdditionalProperties().get("spec");
        var predictor =
                new java.util.LinkedHashMap<String, Object>((java.util.Map<String, Object>) spec.get("predictor"));
        predictor.put("canaryTrafficPercnt", 10);
        isvc.setAdditionalProperty("spec", java.util.Map.of("predictor", predictor));
        JsonNode bad = StrictSchemas.readYaml(
                new ManifestWriter().write(java.util.List.of(isvc), tmp).get(0));
        assertThat(StrictSchemas.validate(bad))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("canaryTrafficPercnt"));
    }

    @Test
    void bakedModelsAreServedFromModelsAndCanaryIsBounded() {
        var c = KServeManifests.container(canary(Optional.empty()));
        assertThat(c.getArgs()).containsExactly("serve", "--model-repository", "/models");
        assertThatThrownBy(() -> new KServeOptions(
                        "mnist",
                        "r",
                        Optional.empty(),
                        "img",
                        Optional.of(150),
                        1,
                        2,
                        Optional.empty(),
                        KubernetesDeployOptions.Resources.DEFAULT))
                .hasMessageContaining("150");
    }
}
