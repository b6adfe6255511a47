package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.repository.ModelConfigParser;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pier deploy kserve --graph}: an ensemble as InferenceServices plus a KServe InferenceGraph, validated strictly. */
class KServeGraphTest {
    static final String ENSEMBLE = """
            platform: ensemble
            input: [{name: image, data_type: TYPE_STRING, dims: [-1]}]
            output: [{name: classes, data_type: TYPE_STRING, dims: [-1]}]
            ensemble_scheduling:
              step:
                - {model_name: mnist_labels, input_map: {probabilities: probabilities}, output_map: {classes: classes}}
                - {model_name: mnist, input_map: {input: pixels}, output_map: {probabilities: probabilities}}
                - {model_name: mnist_png, input_map: {image: image}, output_map: {pixels: pixels}}
            """;

    @TempDir
    Path tmp;

    @Test
    void anEnsembleBecomesServicesAndAnInferenceGraphInDataFlowOrder() throws Exception {
        StrictSchemas.assumePresent();
        KServeOptions o = new KServeOptions(
                "pier",
                "pier-runtime",
                Optional.of("ml"),
                "registry.example.com/mnist:1",
                Optional.empty(),
                1,
                2,
                Optional.empty(),
                KubernetesDeployOptions.Resources.DEFAULT);
        var files = new ManifestWriter()
                .write(KServeGraph.build(o, "mnist_image", ModelConfigParser.parse(ENSEMBLE, "config.yaml")), tmp);
        assertThat(files).hasSize(5); // runtime, three services, the graph
        for (Path f : files) {
            assertThat(StrictSchemas.validate(StrictSchemas.readYaml(f)))
                    .as(f.toString())
                    .isEmpty();
        }
        JsonNode graph = StrictSchemas.readYaml(files.getLast());
        assertThat(graph.path("kind").asText()).isEqualTo("InferenceGraph");
        assertThat(graph.path("metadata").path("name").asText()).isEqualTo("mnist-image");
        JsonNode steps = graph.path("spec").path("nodes").path("root").path("steps");
        assertThat(graph.path("spec")
                        .path("nodes")
                        .path("root")
                        .path("routerType")
                        .asText())
                .isEqualTo("Sequence");
        assertThat(steps.get(0).path("serviceName").asText()).isEqualTo("pier-mnist-png");
        assertThat(steps.get(0).path("data").asText()).isEqualTo("$request");
        assertThat(steps.get(1).path("serviceName").asText()).isEqualTo("pier-mnist");
        assertThat(steps.get(2).path("serviceUrl").asText())
                .isEqualTo("http://pier-mnist-labels-predictor.ml.svc.cluster.local/v1/models/mnist_labels:predict");
        assertThat(steps.get(2).path("data").asText()).isEqualTo("$response");
    }

    @Test
    void aGraphIsStrictlyValidatedAndOnlyEnsemblesQualify() throws Exception {
        StrictSchemas.assumePresent();
        KServeOptions o = KServeOptions.defaults("img");
        var graph = KServeGraph.build(o, "e", ModelConfigParser.parse(ENSEMBLE, "config.yaml"))
                .getLast();
        @SuppressWarnings("unchecked")
        var spec = new java.util.LinkedHashMap<>(
                (java.util.Map<String, Object>) graph.getAdditionalProperties().get("spec"));
        spec.put("nodez", 1);
        graph.setAdditionalProperty("spec", spec);
        JsonNode bad = StrictSchemas.readYaml(
                new ManifestWriter().write(java.util.List.of(graph), tmp).get(0));
        assertThat(StrictSchemas.validate(bad))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("nodez"));
        assertThatThrownBy(() -> KServeGraph.build(o, "m", ModelConfigParser.parse("platform: onnxruntime_onnx", "c")))
                .hasMessageContaining("--graph needs an ensemble");
    }
}
