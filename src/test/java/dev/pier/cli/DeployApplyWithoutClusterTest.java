package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 6: {@code deploy --apply} without a usable cluster says so in one line, in kubectl's terms. The
 * kubeconfig is chosen with fabric8's {@code kubeconfig} system property (it wins over $KUBECONFIG).
 */
class DeployApplyWithoutClusterTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("kubeconfig");
    }

    @Test
    void noKubeconfigIsOneLineNamingWhereItLooked() {
        Path missing = dir.resolve("no-such-kubeconfig");
        System.setProperty("kubeconfig", missing.toString());
        CliRun run = CliRun.of(
                "deploy",
                "kubernetes",
                "--image",
                "img:1",
                "--out",
                dir.resolve("k8s").toString(),
                "--apply");
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_FAILURE);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err())
                .contains("no Kubernetes cluster to apply to")
                .contains(missing.toString())
                .contains("leave out --apply")
                .doesNotContain("null/");
        assertThat(dir.resolve("k8s/02-deployment-pier.yaml")).exists(); // the manifests are still written
    }

    @Test
    void anUnreachableServerIsOneLineNamingServerContextAndFile() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // free now, and nothing listens there once the socket is closed
        }
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: gone
                  cluster: {server: "https://127.0.0.1:%d"}
                users:
                - name: me
                  user: {token: abc}
                contexts:
                - name: dev
                  context: {cluster: gone, user: me, namespace: ml}
                current-context: dev
                """.formatted(closed));
        System.setProperty("kubeconfig", kubeconfig.toString());
        CliRun run = CliRun.of(
                "deploy",
                "kubernetes",
                "--image",
                "img:1",
                "--out",
                dir.resolve("k8s").toString(),
                "--apply");
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_FAILURE);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err())
                .contains("cannot reach the Kubernetes API server https://127.0.0.1:" + closed)
                .contains("context 'dev' in " + kubeconfig);
    }
}
