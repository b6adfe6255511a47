package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's native library loads on this JDK and its environment can be created first from a thread
 * with a small (1 MiB) stack, as a Vert.x worker or the CLI's main thread has. Runs in a fresh JVM because the
 * environment is created once per process and other tests in this fork may already have created it.
 */
class OrtEngineNativeLoadTest {

    /** Entry point of the child JVM. */
    public static void main(String[] args) throws Exception {
        String[] version = new String[1];
        Thread small = new Thread(
                null,
                () -> {
                    try (OrtEngine engine = new OrtEngine()) {
                        version[0] = engine.version();
                    }
                },
                "small-stack",
                1L << 20);
        small.start();
        small.join();
        System.out.println("onnxruntime " + version[0]);
    }

    @Test
    void environmentCreatedFromASmallStackThreadInAFreshJvm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(
                        java.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        OrtEngineNativeLoadTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("onnxruntime 1.");
    }
}
