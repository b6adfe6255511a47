package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19 item 8: a model folder given as the repository gets the right advice; --exit-on-error exits. */
class ServeStartupAdviceTest {

    @TempDir
    Path dir;

    @Test
    void aModelFolderGivenAsTheRepositoryIsNamedAndTheRepositorySuggested() throws Exception {
        Path model = Files.createDirectories(dir.resolve("models/mnist/1")).resolve("model.onnx");
        Files.write(model, new byte[] {1});
        CliRun run = CliRun.of(
                "serve",
                "--model-repository",
                dir.resolve("models/mnist").toString(),
                "--host",
                "127.0.0.1",
                "--http-port",
                "0",
                "--grpc-port",
                "0");
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err())
                .contains("is a model folder (it holds 1" + java.io.File.separator + "model.onnx)")
                .contains("use --model-repository " + dir.resolve("models"));
    }

    @Test
    void exitOnErrorExitsNonZeroWhenAModelFailsAtStartUp() throws Exception {
        Path repo = dir.resolve("repo");
        Files.write(Files.createDirectories(repo.resolve("broken/1")).resolve("model.onnx"), new byte[] {1, 2, 3});
        CliRun run = CliRun.of(
                "serve",
                "--model-repository",
                repo.toString(),
                "--host",
                "127.0.0.1",
                "--http-port",
                "0",
                "--grpc-port",
                "0",
                "--exit-on-error",
                "--no-drift");
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(PierCli.EXIT_FAILURE);
        assertThat(run.err()).contains("model broken version 1 failed to load").contains("--exit-on-error");
    }
}
