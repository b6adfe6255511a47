package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pier.cli.PierCli;
import dev.pier.examples.ExampleModels;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/pipeline.md's unattended loop, as written there: the CronJob is valid (its pod template strictly against the
 * core v1 schema, as a PodTemplate, since the shared schemas carry no batch/v1; the CronJob and Job fields against
 * fabric8's typed model, which keeps any field it does not know aside), every {@code pier} command line of the page
 * (the containers' args, the cron script) is accepted by the CLI, and {@code watch --if-canary} after a run that
 * published no canary exits 0, as the loop needs.
 */
class PipelineCronJobExampleTest {
    static final Path DOC = Path.of("docs/pipeline.md");

    @TempDir
    Path dir;

    static String block(String language, String containing) throws Exception {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        while (m.find()) {
            if (m.group(1).contains(containing)) {
                return m.group(1);
            }
        }
        throw new AssertionError("no ```" + language + " block with '" + containing + "' in " + DOC);
    }

    @Test
    void theCronJobIsValid() throws Exception {
        String yaml = block("yaml", "kind: CronJob");
        CronJob typed = new KubernetesSerialization().unmarshal(yaml, CronJob.class);
        assertThat(typed.getAdditionalProperties()).isEmpty();
        assertThat(typed.getMetadata().getAdditionalProperties()).isEmpty();
        assertThat(typed.getSpec().getAdditionalProperties()).isEmpty();
        assertThat(typed.getSpec().getJobTemplate().getAdditionalProperties()).isEmpty();
        assertThat(typed.getSpec().getJobTemplate().getSpec().getAdditionalProperties())
                .isEmpty();
        assertThat(typed.getSpec().getSchedule()).isEqualTo("0 2 * * *");
        assertThat(typed.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");

        // the run first (an init container), then the watch; args only, so the image's entrypoint runs them
        var pod = typed.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers()).singleElement().satisfies(c -> {
            assertThat(c.getCommand()).isEmpty();
            assertThat(c.getArgs()).startsWith("pipeline", "run");
            assertAccepted(c.getArgs());
        });
        assertThat(pod.getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getCommand()).isEmpty();
            assertThat(c.getArgs()).startsWith("pipeline", "watch").contains("--if-canary");
            assertAccepted(c.getArgs());
        });

        StrictSchemas.assumePresent();
        JsonNode cron = new YAMLMapper().readTree(yaml);
        assertThat(cron.path("apiVersion").asText()).isEqualTo("batch/v1");
        JsonNode template = cron.path("spec").path("jobTemplate").path("spec").path("template");
        ObjectNode podTemplate =
                JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "PodTemplate");
        podTemplate
                .putObject("metadata")
                .put("name", cron.path("metadata").path("name").asText());
        podTemplate.set("template", template);
        assertThat(StrictSchemas.validate(podTemplate)).isEmpty();
    }

    @Test
    void theCronScriptsCommandsAreAccepted() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : block("sh", "pier pipeline").split("\n")) {
            if (line.startsWith("/opt/pier/bin/pier ")) {
                lines.add(line);
            }
        }
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            assertThat(line).doesNotContain("\"").doesNotContain("'"); // split on spaces is then what sh does
            assertAccepted(
                    Arrays.asList(line.substring("/opt/pier/bin/pier ".length()).split(" +")));
        }
    }

    @Test
    void watchIfCanaryAfterARunThatPublishedNoCanaryExitsZero() throws Exception {
        ExampleModels.mnistMlp(3).save(dir.resolve("m.onnx"));
        Files.writeString(dir.resolve("pipeline.yaml"), """
                name: digits
                data:    {train: "mnist:train:100", test: "mnist:test:100"}
                train:   {model: m.onnx}
                publish: {repository: models, model: digits}
                """);
        assertThat(cli("pipeline", "run", dir.resolve("pipeline.yaml").toString(), "--no-progress")
                        .exit())
                .isZero();
        Run quiet = cli(
                "pipeline", "watch", "latest", "--if-canary", "--dir", dir.toString(), "--min-live-accuracy", "0.97");
        assertThat(quiet.exit()).isZero();
        assertThat(quiet.out()).contains("nothing to watch: run ").contains("published no canary");
        Run strict = cli("pipeline", "watch", "latest", "--dir", dir.toString(), "--min-live-accuracy", "0.97");
        assertThat(strict.exit()).isEqualTo(PierCli.EXIT_USAGE);
    }

    /** Parsed as the CLI parses it; {@code --help} makes picocli stop after parsing, with exit 0 only if all was understood. */
    private static void assertAccepted(List<String> args) {
        List<String> withHelp = new ArrayList<>(args);
        withHelp.add("--help");
        Run r = cli(withHelp.toArray(String[]::new));
        assertThat(r.exit()).as("pier %s: %s", String.join(" ", args), r.err()).isZero();
        assertThat(r.out()).as(String.join(" ", args)).contains("Usage: pier " + args.get(0) + " " + args.get(1));
    }

    record Run(int exit, String out, String err) {}

    static synchronized Run cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = PierCli.execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
