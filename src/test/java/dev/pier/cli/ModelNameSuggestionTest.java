package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Suggestions;
import dev.pier.examples.ExampleModels;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19 item 10: a mistyped model name gets "did you mean", from a real server through pier predict. */
class ModelNameSuggestionTest {

    @TempDir
    Path root;

    @Test
    void aMistypedModelNameGetsTheClosestKnownOne() throws Exception {
        ExampleModels.writeMnistRepository(root.resolve("repo"), 7);
        Path request = Files.writeString(
                root.resolve("req.json"),
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784]," + "\"datatype\":\"FP32\",\"data\":["
                        + String.join(",", Collections.nCopies(784, "0")) + "]}]}");
        try (RunningServer server = RunningServer.start(
                ServingOptions.of(root.resolve("repo"), null),
                new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1))) {
            CliRun run = CliRun.of(
                    "predict",
                    "--url",
                    "http://127.0.0.1:" + server.httpPort(),
                    "--model",
                    "mnsit",
                    "--input",
                    request.toString());
            assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
            assertThat(run.err()).contains("model 'mnsit' not found").contains("did you mean 'mnist'?");
        }
    }

    @Test
    void onlyCloseNamesAreSuggested() {
        assertThat(Suggestions.closest("mnsit", List.of("mnist", "cnn"))).contains("mnist");
        assertThat(Suggestions.closest("MNIST", List.of("mnist"))).contains("mnist");
        assertThat(Suggestions.closest("resnet", List.of("mnist", "cnn"))).isEmpty();
        assertThat(Suggestions.didYouMean("cn", List.of("cnn"))).isEqualTo("; did you mean 'cnn'?");
    }
}
