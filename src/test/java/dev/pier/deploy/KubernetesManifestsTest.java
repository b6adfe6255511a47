package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesManifestsTest {

    @TempDir
    Path tmp;

    private KubernetesDeployOptions full() throws Exception {
        Path repo = tmp.resolve("models");
        Files.createDirectories(repo.resolve("mnist/1"));
        Files.createDirectories(repo.resolve("noconfig/1"));
        Files.writeString(repo.resolve("mnist/config.yaml"), "name: mnist\nmax_batch_size: 8\n");
        SizingPlan plan = CapacitySizing.plan(CapacitySizing.Inputs.of(120, 1000, 0.6));
        return KubernetesDeployOptions.defaults("registry.example.com/team/mnist:1")
                .withNamespace(Optional.of("ml"))
                .withScaling(
                        2,
                        Optional.of(new KubernetesDeployOptions.Autoscale(
                                2,
                                10,
                                70,
                                Optional.of(new KubernetesDeployOptions.PodsMetric("pier_queue_time_seconds", "50m")))))
                .withStorage(new ModelStorage.Volume("models-pvc"))
                .withModelConfigs(ModelConfigFiles.read(repo))
                .withSizing(plan);
    }

    @Test
    void everyGeneratedManifestValidatesStrictly() throws Exception {
        StrictSchemas.assumePresent();
        List<HasMetadata> objects = KubernetesManifests.build(full());
        List<Path> files = new ManifestWriter().write(objects, tmp.resolve("k8s"));
        assertThat(files).hasSize(5);
        List<String> kinds = new ArrayList<>();
        for (Path f : files) {
            JsonNode manifest = StrictSchemas.readYaml(f);
            kinds.add(manifest.path("kind").asText());
            assertThat(StrictSchemas.validate(manifest))
                    .as(f.getFileName().toString())
                    .isEmpty();
        }
        assertThat(kinds)
                .containsExactly(
                        "ConfigMap", "Service", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget");
    }

    @Test
    void bakedModelsWithoutAutoscalerValidateToo() throws Exception {
        StrictSchemas.assumePresent();
        var objects = KubernetesManifests.build(KubernetesDeployOptions.defaults("pier:dev"));
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .containsExactly("Service", "Deployment", "PodDisruptionBudget");
        for (Path f : new ManifestWriter().write(objects, tmp.resolve("baked"))) {
            assertThat(StrictSchemas.validate(StrictSchemas.readYaml(f)))
                    .as(f.toString())
                    .isEmpty();
        }
    }

    @Test
    void validatorRejectsUnknownFieldAndWrongType() throws Exception {
        StrictSchemas.assumePresent();
        Deployment d = (Deployment) KubernetesManifests.build(KubernetesDeployOptions.defaults("pier:dev"))
                .get(1);
        // fabric8 keeps unknown fields silently; the strict validation must not
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setAdditionalProperty("livenesProbe", Map.of());
        JsonNode unknown = StrictSchemas.readYaml(
                new ManifestWriter().write(List.of(d), tmp.resolve("u")).get(0));
        assertThat(StrictSchemas.validate(unknown))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("livenesProbe"));

        JsonNode good = StrictSchemas.readYaml(new ManifestWriter()
                .write(
                        List.of(KubernetesManifests.build(KubernetesDeployOptions.defaults("pier:dev"))
                                .get(1)),
                        tmp.resolve("g"))
                .get(0));
        assertThat(StrictSchemas.validate(good)).isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) good.path("spec")).put("replicas", "two");
        assertThat(StrictSchemas.validate(good))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("replicas"));
    }

    @Test
    void deploymentCarriesProbesSecurityDrainAndScrapeSettings() throws Exception {
        KubernetesDeployOptions o = full();
        Deployment d = (Deployment) KubernetesManifests.build(o).stream()
                .filter(x -> x instanceof Deployment)
                .findFirst()
                .orElseThrow();
        var pod = d.getSpec().getTemplate().getSpec();
        var c = pod.getContainers().get(0);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(c.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(8501, 8500);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        assertThat(pod.getTerminationGracePeriodSeconds())
                .isEqualTo(preStop + o.graceSeconds() + KubernetesDeployOptions.GRACE_MARGIN_SECONDS);
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/metrics")
                .containsEntry("prometheus.io/port", "8501");
        assertThat(d.getMetadata().getAnnotations().get(KubernetesManifests.SIZING_ANNOTATION))
                .isEqualTo(o.sizing().orElseThrow().reasoning());
        // the PVC is mounted read-only at /models and each config.yaml over it at /models/<model>/config.yaml
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("models-pvc");
                    assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
                });
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/models/mnist/config.yaml");
            assertThat(m.getSubPath()).isEqualTo("mnist.config.yaml");
        });
    }

    @Test
    void sizingReasoningIsOnTheDeploymentAndAutoscalerOnly() throws Exception {
        KubernetesDeployOptions o = full();
        for (HasMetadata object : KubernetesManifests.build(o)) {
            var annotations = object.getMetadata().getAnnotations();
            boolean sized =
                    object.getKind().equals("Deployment") || object.getKind().equals("HorizontalPodAutoscaler");
            if (sized) {
                assertThat(annotations)
                        .as(object.getKind())
                        .containsEntry(
                                KubernetesManifests.SIZING_ANNOTATION,
                                o.sizing().orElseThrow().reasoning());
            } else {
                assertThat(annotations == null ? Map.of() : annotations)
                        .as(object.getKind())
                        .doesNotContainKey(KubernetesManifests.SIZING_ANNOTATION);
            }
        }
    }

    @Test
    void configMapHoldsEachModelsConfigVerbatim() throws Exception {
        var cm = KubernetesManifests.configMap(full());
        assertThat(cm.getData()).containsOnlyKeys("mnist.config.yaml");
        assertThat(cm.getData().get("mnist.config.yaml"))
                .isEqualTo(Files.readString(tmp.resolve("models/mnist/config.yaml")));
    }

    @Test
    void badOptionsAreRejectedWithTheValueSent() {
        assertThatThrownBy(() -> KubernetesDeployOptions.Autoscale.parse("10..2", 70, Optional.empty()))
                .hasMessageContaining("10..2");
        assertThatThrownBy(() -> KubernetesDeployOptions.Autoscale.parse("2-10", 70, Optional.empty()))
                .hasMessageContaining("'2-10'");
        assertThatThrownBy(() -> KubernetesDeployOptions.defaults("img")
                        .withScaling(
                                1, Optional.of(new KubernetesDeployOptions.Autoscale(2, 10, 70, Optional.empty()))))
                .hasMessageContaining("2..10");
        assertThatThrownBy(() -> new KubernetesDeployOptions.Resources("1", "1GB", "2", "2Gi"))
                .hasMessageContaining("--memory")
                .hasMessageContaining("1GB");
        assertThatThrownBy(() -> KubernetesDeployOptions.defaults("img").withName("Pier_1"))
                .hasMessageContaining("Pier_1");
    }
}
