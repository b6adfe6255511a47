package dev.pier.deploy;

import dev.pier.api.UnavailableException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Before {@code pier deploy --apply} talks to a cluster: is there one, and does its API server answer? Without
 * this, a missing kubeconfig surfaced as "namespace cannot be null" and an unreachable server as 21 s of retries
 * and an HTTP -1; here each is one line, in kubectl's terms (which kubeconfig and context, which server), at
 * once. Stateless.
 */
final class ClusterPreflight {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private ClusterPreflight() {}

    static void check(KubernetesClient client) {
        Config config = client.getConfiguration();
        boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;
        boolean masterGiven = System.getProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY) != null
                || System.getenv("KUBERNETES_MASTER") != null;
        // with nothing configured fabric8 falls back to the in-cluster address kubernetes.default.svc
        boolean defaultMaster =
                config.getMasterUrl() == null || config.getMasterUrl().contains("kubernetes.default.svc");
        if (config.getFile() == null && !inCluster && !masterGiven && defaultMaster) {
            throw new UnavailableException("no Kubernetes cluster to apply to: no kubeconfig at "
                    + String.join(" or ", Config.getKubeconfigFilenames()) + " and not running inside a cluster; "
                    + "set KUBECONFIG or kubectl's context, or leave out --apply to only write the manifests");
        }
        URI server = URI.create(config.getMasterUrl());
        String where = "the Kubernetes API server " + config.getMasterUrl()
                + (config.getCurrentContext() != null
                        ? " (context '" + config.getCurrentContext().getName() + "'"
                                + (config.getFile() != null ? " in " + config.getFile() : "") + ")"
                        : "");
        int port = server.getPort() > 0 ? server.getPort() : "http".equals(server.getScheme()) ? 80 : 443;
        if (server.getHost() == null) {
            throw new UnavailableException(where + " is not a server address");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getHost(), port), (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UnavailableException(
                    "cannot reach " + where + ": " + why
                            + "; is the cluster running and kubectl's context the right one?",
                    e);
        }
    }
}
