package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DeadlineExceededException;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --apply} against fabric8's Kubernetes mock server in CRUD mode (a real API server is not reachable). */
@EnableKubernetesMockClient(crud = true, https = false)
class ManifestApplierTest {

    KubernetesClient client;
    io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;

    @TempDir
    Path tmp;

    private static KubernetesDeployOptions options() {
        return KubernetesDeployOptions.defaults("registry.example.com/team/mnist:1")
                .withScaling(2, Optional.of(new KubernetesDeployOptions.Autoscale(2, 6, 70, Optional.empty())))
                .withModelConfigs(java.util.Map.of("mnist", "name: mnist\n"));
    }

    @Test
    void createsEveryObjectAndReapplyIsIdempotent() throws Exception {
        var objects = KubernetesManifests.build(options());
        var deployment = new KubernetesDeployment(server::createClient);
        var first = deployment.deploy(
                objects, Optional.of("ml"), tmp, new KubernetesDeployment.ApplyMode(true, false, Duration.ZERO));
        assertThat(first.applied())
                .extracting(ManifestApplier.Applied::action)
                .containsOnly(ManifestApplier.Action.CREATED)
                .hasSize(objects.size());
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("ml")
                        .withName("pier")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(2);
        assertThat(client.autoscaling()
                        .v2()
                        .horizontalPodAutoscalers()
                        .inNamespace("ml")
                        .withName("pier")
                        .get()
                        .getSpec()
                        .getMaxReplicas())
                .isEqualTo(6);
        assertThat(client.configMaps()
                        .inNamespace("ml")
                        .withName("pier-model-config")
                        .get()
                        .getData())
                .containsEntry("mnist.config.yaml", "name: mnist\n");

        // the HPA scales the live Deployment; a re-apply must leave its replica count alone
        client.apps().deployments().inNamespace("ml").withName("pier").scale(5);
        var second = new ManifestApplier(client).apply(objects, "ml", false, Duration.ZERO);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("ml")
                        .withName("pier")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(5);
        assertThat(second).extracting(ManifestApplier.Applied::action).containsOnly(ManifestApplier.Action.UPDATED);
        assertThat(client.apps().deployments().inNamespace("ml").list().getItems())
                .hasSize(1);
        assertThat(client.services().inNamespace("ml").list().getItems()).hasSize(1);
        assertThat(client.policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace("ml")
                        .list()
                        .getItems())
                .hasSize(1);
    }

    @Test
    void aStuckRolloutIsExplainedByItsPods() {
        var objects = KubernetesManifests.build(options());
        new ManifestApplier(client).apply(objects, "ml", false, Duration.ZERO);
        // no controller runs in the mock: play the kubelet and report an image pull failure on a pod
        client.pods()
                .inNamespace("ml")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("pier-abc")
                        .addToLabels("app.kubernetes.io/name", "pier")
                        .endMetadata()
                        .withNewStatus()
                        .addNewContainerStatus()
                        .withName("pier")
                        .withReady(false)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"registry.example.com/team/mnist:1\"")
                        .endWaiting()
                        .endState()
                        .endContainerStatus()
                        .endStatus()
                        .build())
                .create();
        assertThatThrownBy(() -> new ManifestApplier(client, Duration.ofMillis(50))
                        .awaitRollout("ml", "pier", Duration.ofMillis(300)))
                .isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("ml/pier")
                .hasMessageContaining("image pull failed")
                .hasMessageContaining("ImagePullBackOff")
                .hasMessageContaining("pier-abc");
    }

    @Test
    void kserveObjectsApplyOnceTheirCrdsAreInstalled() throws Exception {
        // the mock serves any kind once a CRD names it; the schemas are checked by KServeManifestsTest
        installCrd("ServingRuntime", "servingruntimes", "v1alpha1");
        installCrd("InferenceService", "inferenceservices", "v1beta1");
        var o = new KServeOptions(
                "mnist",
                "pier-runtime",
                Optional.of("ml"),
                "img:2",
                Optional.of(10),
                1,
                3,
                Optional.empty(),
                KubernetesDeployOptions.Resources.DEFAULT);
        var applied = new ManifestApplier(client).apply(KServeManifests.build(o), null, false, Duration.ZERO);
        assertThat(applied)
                .extracting(ManifestApplier.Applied::kind)
                .containsExactly("ServingRuntime", "InferenceService");
        var isvc = client.genericKubernetesResources("serving.kserve.io/v1beta1", "InferenceService")
                .inNamespace("ml")
                .withName("mnist")
                .get();
        assertThat(isvc).isNotNull();
        @SuppressWarnings("unchecked")
        var predictor = (java.util.Map<String, Object>)
                ((java.util.Map<String, Object>) isvc.getAdditionalProperties().get("spec")).get("predictor");
        assertThat(predictor).containsEntry("canaryTrafficPercent", 10);
        assertThat(new ManifestApplier(client).apply(KServeManifests.build(o), null, false, Duration.ZERO))
                .extracting(ManifestApplier.Applied::action)
                .containsOnly(ManifestApplier.Action.UPDATED);
    }

    private void installCrd(String kind, String plural, String version) {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                        .withNewMetadata()
                        .withName(plural + ".serving.kserve.io")
                        .endMetadata()
                        .withNewSpec()
                        .withGroup("serving.kserve.io")
                        .withScope("Namespaced")
                        .withNewNames()
                        .withKind(kind)
                        .withPlural(plural)
                        .withSingular(kind.toLowerCase())
                        .endNames()
                        .addNewVersion()
                        .withName(version)
                        .withServed(true)
                        .withStorage(true)
                        .endVersion()
                        .endSpec()
                        .build())
                .create();
    }
}
