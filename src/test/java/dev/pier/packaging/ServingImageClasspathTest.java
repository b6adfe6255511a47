package dev.pier.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.examples.ExampleModels;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 7: a serving image leaves out the training, deploy and packaging jars; {@code pier serve} must
 * still start and answer on that classpath. A real process on 127.0.0.1, without those jars.
 */
class ServingImageClasspathTest {

    @TempDir
    Path dir;

    @Test
    void serveStartsAndAnswersWithoutTheJarsAServingImageLeavesOut() throws Exception {
        ExampleModels.writeMnistRepository(dir.resolve("repo"), 3);
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            (name.endsWith(".jar") && !ImageLayout.servingJar(name) ? dropped : kept).add(entry);
        }
        assertThat(dropped)
                .anyMatch(j -> j.contains("kubernetes-model-core"))
                .anyMatch(j -> j.contains("jib-core"))
                .anyMatch(j -> j.contains("pytorch-jni"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process serve = new ProcessBuilder(
                        java.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        String.join(File.pathSeparator, kept),
                        ImageLayout.MAIN_CLASS,
                        "serve",
                        "--model-repository",
                        dir.resolve("repo").toString(),
                        "--host",
                        "127.0.0.1",
                        "--http-port",
                        "0",
                        "--grpc-port",
                        "0",
                        "--no-drift",
                        "--drain-seconds",
                        "0",
                        "--grace-seconds",
                        "1")
                .redirectErrorStream(true)
                .start();
        try {
            int port = -1;
            List<String> seen = new ArrayList<>();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            Pattern rest = Pattern.compile("REST .* on http://127\\.0\\.0\\.1:(\\d+)");
            for (String line; port < 0 && seen.size() < 200 && (line = out.readLine()) != null; ) {
                seen.add(line);
                Matcher m = rest.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertThat(port).as(String.join("\n", seen)).isPositive();
            String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":["
                    + String.join(",", Collections.nCopies(784, "0.1")) + "]}]}";
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/mnist/infer"))
                                    .timeout(Duration.ofSeconds(20))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"outputs\"");
        } finally {
            serve.destroy();
            if (!serve.waitFor(40, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
        assertThat(Arrays.asList(ImageLayout.SERVING_EXCLUDED_JAR_PREFIXES.toArray()))
                .contains("kubernetes-");
    }

    /** bin/pier runs `pier serve` on the same serving class path: its list of left-out jars is this one. */
    @Test
    void theLauncherLeavesOutTheSameJarsForServe() throws Exception {
        String launcher = java.nio.file.Files.readString(Path.of("bin/pier"));
        java.util.regex.Matcher m =
                Pattern.compile("'/\\(([^)]*)\\)\\[\\^/\\]\\*\\$'").matcher(launcher);
        assertThat(m.find())
                .as("bin/pier's pattern of the jars serve leaves out")
                .isTrue();
        assertThat(List.of(m.group(1).split("\\|")))
                .containsExactlyInAnyOrderElementsOf(ImageLayout.SERVING_EXCLUDED_JAR_PREFIXES);
    }
}
