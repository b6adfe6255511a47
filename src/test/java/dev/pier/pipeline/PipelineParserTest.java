package dev.pier.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.InvalidInputException;
import dev.pier.cli.PierCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pipeline.yaml is read strictly: every mistake names its key and its line. */
class PipelineParserTest {
    static final String VALID = """
            name: mnist
            data:     {train: mnist:train, test: mnist:test, validation_split: 0.2}
            train:    {arch: "mlp:128", epochs: 10, optimizer: adam, lr: 0.001, batch_size: 32, seed: 42}
            compress: {method: auto, max_accuracy_drop: 0.005}
            gates:
              accuracy: {min: 0.97}
              latency_p99_ms: {max: 5}
              size_mb: {max: 2}
              baseline: serving
            publish:  {repository: models, model: mnist}
            package:  {image: "registry.example.com/team/mnist:{version}", to: "tar:out/image.tar"}
            deploy:   {kubernetes: {out: k8s, autoscale: "2..10"}}
            """;

    @Test
    void readsTheIssuesExample() {
        PipelineSpec spec = PipelineParser.parse(VALID, "pipeline.yaml");
        assertThat(spec.train().epochs()).isEqualTo(10);
        assertThat(spec.train().lr()).isEqualTo(0.001);
        assertThat(spec.compress().maxAccuracyDrop()).isEqualTo(0.005);
        assertThat(spec.gates().latencyP99Ms().max()).isEqualTo(5.0);
        assertThat(spec.gates().againstServing()).isTrue();
        assertThat(spec.packaging().to()).isEqualTo("tar:out/image.tar");
        assertThat(spec.deploy().kubernetes().autoscale()).isEqualTo("2..10");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
        String typo = VALID.replace("epochs: 10", "epoch: 10");
        assertThatThrownBy(() -> PipelineParser.parse(typo, "pipeline.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("pipeline.yaml line 3: unknown key 'train.epoch'")
                .hasMessageContaining("epochs");
        String topLevel = VALID + "notify: {email: me}\n";
        assertThatThrownBy(() -> PipelineParser.parse(topLevel, "p.yaml"))
                .hasMessageStartingWith("p.yaml line 13: unknown key 'notify'");
    }

    @Test
    void aWrongTypeIsNamedWithItsLine() {
        assertThatThrownBy(() -> PipelineParser.parse(VALID.replace("epochs: 10", "epochs: ten"), "pipeline.yaml"))
                .hasMessageStartingWith("pipeline.yaml line 3: 'train.epochs': expected an integer");
        assertThatThrownBy(() -> PipelineParser.parse(VALID.replace("epochs: 10", "epochs: \"10\""), "pipeline.yaml"))
                .hasMessageStartingWith("pipeline.yaml line 3: 'train.epochs': expected an integer");
        assertThatThrownBy(() -> PipelineParser.parse(VALID.replace("{min: 0.97}", "0.97"), "pipeline.yaml"))
                .hasMessageStartingWith("pipeline.yaml line 6: 'gates.accuracy': expected a mapping");
        assertThatThrownBy(() ->
                        PipelineParser.parse(VALID.replace("baseline: serving", "baseline: best"), "pipeline.yaml"))
                .hasMessageContaining("line ")
                .hasMessageContaining("'gates.baseline': expected serving, got best");
    }

    @Test
    void theCommandExitsWithTwoAndOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, VALID.replace("batch_size: 32", "batch_sise: 32"));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        int code;
        try {
            code = PierCli.execute("pipeline", "run", file.toString());
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(2);
        assertThat(captured.toString().strip())
                .startsWith("pier: " + file + " line 3: unknown key 'train.batch_sise'")
                .doesNotContain("\n");
        assertThat(dir.resolve("runs")).doesNotExist();
    }
}
