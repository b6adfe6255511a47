package dev.pier.cli;

import dev.pier.data.MnistFetcher;
import dev.pier.pipeline.GateResult;
import dev.pier.pipeline.PipelineRunner;
import dev.pier.pipeline.RunRecord;
import dev.pier.pipeline.RunStore;
import dev.pier.pipeline.Stage;
import dev.pier.pipeline.StageReport;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pier pipeline run|runs|show|watch|export}: parses options and calls the {@code dev.pier.pipeline} services. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description =
                "Run the lifecycle declared in a pipeline.yaml as one cached, gated run; list and show runs; watch a canary.",
        subcommands = {
            PipelineCommand.Run.class,
            PipelineCommand.Runs.class,
            PipelineCommand.Show.class,
            PipelineWatchCommand.class,
            PipelineExportCommand.class
        })
final class PipelineCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description =
                    "Run the stages whose inputs changed (data, train, compress, evaluate, gates, publish, package, deploy).")
    static final class Run implements Callable<Integer> {
        @Parameters(
                index = "0",
                paramLabel = "PIPELINE.yaml",
                description = "The pipeline file; its folder holds the cache (.pier/) and the run records (runs/).")
        Path file;

        @Option(
                names = "--from",
                paramLabel = "STAGE",
                description = "Start at STAGE; earlier stages are taken as they last ran.")
        String from;

        @Option(names = "--until", paramLabel = "STAGE", description = "Stop after STAGE.")
        String until;

        @Option(names = "--dry-run", description = "Print the plan (what would rerun and why); run nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Rerun every stage in range, whatever the cache says.")
        boolean force;

        @Option(
                names = "--server",
                paramLabel = "URL",
                description =
                        "A running pier serve to ask which version is served (baseline: serving); default: read the repository.")
        URI server;

        @Option(
                names = "--data-dir",
                description = "Folder of MNIST IDX files (default: $PIER_DATA_DIR or ~/.cache/pier/mnist).")
        Path dataDir;

        @Option(names = "--no-progress", description = "No training progress bar, one line per epoch.")
        boolean noProgress;

        @Override
        public Integer call() {
            new PipelineRunner()
                    .run(new PipelineRunner.Options(
                            file,
                            Optional.ofNullable(from).map(s -> Stage.parse(s, "--from")),
                            Optional.ofNullable(until).map(s -> Stage.parse(s, "--until")),
                            dryRun,
                            force,
                            Optional.ofNullable(server),
                            dataDir != null ? dataDir : MnistFetcher.defaultDir(),
                            System.out,
                            !noProgress));
            return 0;
        }
    }

    @Command(
            name = "runs",
            mixinStandardHelpOptions = true,
            description = "List the runs recorded next to a pipeline file (oldest first).")
    static final class Runs implements Callable<Integer> {
        @Option(
                names = "--dir",
                defaultValue = ".",
                description = "The pipeline file's folder (default: the current one).")
        Path dir;

        @Override
        public Integer call() {
            var runs = new RunStore(dir).list();
            if (runs.isEmpty()) {
                System.out.println("no runs in " + dir.resolve("runs"));
            }
            for (RunRecord r : runs) {
                long ran = r.stages().stream()
                        .filter(s -> s.status().equals("ran"))
                        .count();
                Object version = r.published() == null ? null : r.published().get("version");
                System.out.printf(
                        Locale.ROOT,
                        "%s  %-10s %-12s %5.1f s  %d stage(s) ran%s%s%n",
                        r.runId(),
                        r.pipeline(),
                        r.status(),
                        r.seconds(),
                        ran,
                        version == null ? "" : ", version " + version,
                        r.candidate() == null
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        ", accuracy %.4f",
                                        ((Number) r.candidate().get("accuracy")).doubleValue()));
            }
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print one run: stages, gates (baseline beside candidate), published version, decisions.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN", description = "Run id, a unique prefix of it, or 'latest'.")
        String run;

        @Option(
                names = "--dir",
                defaultValue = ".",
                description = "The pipeline file's folder (default: the current one).")
        Path dir;

        @Override
        public Integer call() {
            RunStore store = new RunStore(dir);
            RunRecord r = store.read(run);
            System.out.printf(
                    Locale.ROOT,
                    "run %s of %s: %s in %.1f s (Pier %s)%n",
                    r.runId(),
                    r.pipeline(),
                    r.status(),
                    r.seconds(),
                    r.pierVersion());
            if (r.error() != null) {
                System.out.println("  error: " + r.error());
            }
            for (StageReport s : r.stages()) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-9s %-11s %6.1f s  %s%n",
                        s.stage(),
                        s.status(),
                        s.seconds(),
                        s.reason() == null ? "" : s.reason());
            }
            for (GateResult g : r.gates()) {
                System.out.printf(
                        Locale.ROOT, "  gate %-15s %s  %s%n", g.gate(), g.passed() ? "pass" : "FAIL", g.message());
            }
            if (r.candidate() != null) {
                System.out.printf(Locale.ROOT, "  %-16s %12s %12s%n", "figure", "candidate", "baseline");
                for (String k : new String[] {"accuracy", "latency_p99_ms", "size_mb", "traffic_accuracy"}) {
                    if (!(r.candidate().get(k) instanceof Number)) {
                        continue; // traffic_accuracy: only with labelled logged traffic
                    }
                    Object b = r.baseline() == null ? null : r.baseline().get(k);
                    System.out.printf(
                            Locale.ROOT,
                            "  %-16s %12.4f %12s%n",
                            k,
                            ((Number) r.candidate().get(k)).doubleValue(),
                            b instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : "-");
                }
            }
            if (r.published() != null) {
                System.out.println("  published: " + r.published());
            }
            r.decisions().forEach(d -> System.out.println("  decision: " + d));
            System.out.println("  report: " + store.dir(r.runId()).resolve("run.html"));
            return 0;
        }
    }
}
