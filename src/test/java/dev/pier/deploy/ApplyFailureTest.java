package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.UnavailableException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The API server refusing an object: the error names the object, the HTTP status and the server's reason. */
@EnableKubernetesMockClient(https = false)
class ApplyFailureTest {

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void aRejectedObjectIsReportedWithTheServersReason() {
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/ml/services/pier")
                .andReturn(
                        404,
                        new StatusBuilder().withCode(404).withReason("NotFound").build())
                .always();
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/ml/services?fieldValidation=Strict")
                .andReturn(
                        422,
                        new StatusBuilder()
                                .withCode(422)
                                .withReason("Invalid")
                                .withStatus("Failure")
                                .withMessage(
                                        "Service \"pier\" is invalid: spec.ports[1].name: Duplicate value: \"http\"")
                                .build())
                .always();
        var objects = KubernetesManifests.build(KubernetesDeployOptions.defaults("img:1"));
        assertThatThrownBy(() -> new ManifestApplier(client).apply(objects, "ml", false, Duration.ZERO))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("Service ml/pier")
                .hasMessageContaining("HTTP 422")
                .hasMessageContaining("Duplicate value");
    }
}
