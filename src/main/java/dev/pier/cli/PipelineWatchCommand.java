package dev.pier.cli;

import dev.pier.pipeline.CanaryWatch;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pier pipeline watch RUN}: calls {@link CanaryWatch}; exit 0 when promoted, 1 when rolled back. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description =
                "Watch the canary a run published (live accuracy from feedback, drift) on the running server, then promote it or roll it back.")
final class PipelineWatchCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "RUN",
            description = "The run that published the canary: id, unique prefix or 'latest'.")
    String run;

    @Option(
            names = "--minutes",
            defaultValue = "10",
            description = "How long to watch (fractions allowed; default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(
            names = "--min-live-accuracy",
            required = true,
            paramLabel = "X",
            description = "The canary's live accuracy must stay at least X.")
    double minLiveAccuracy;

    @Option(
            names = "--max-drift",
            defaultValue = "0.2",
            paramLabel = "Y",
            description = "Its largest drift score (PSI) must stay at most Y (default ${DEFAULT-VALUE}).")
    double maxDrift;

    @Option(
            names = "--min-feedback",
            defaultValue = "20",
            paramLabel = "N",
            description = "Labelled predictions needed before live accuracy counts (default ${DEFAULT-VALUE}).")
    long minFeedback;

    @Option(
            names = "--server",
            defaultValue = "http://127.0.0.1:8501",
            paramLabel = "URL",
            description = "The running pier serve (default ${DEFAULT-VALUE}, pier serve's REST port).")
    URI server;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token for the server (first line).")
    Path tokenFile;

    @Option(
            names = "--interval-seconds",
            defaultValue = "10",
            description = "Seconds between two reads of the server's metrics (default ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Option(names = "--dir", defaultValue = ".", description = "The pipeline file's folder (default: the current one).")
    Path dir;

    @Option(
            names = "--if-canary",
            description = "When the run left no canary to decide (it published none, or it was decided already), "
                    + "say so and exit 0 instead of 2: for unattended loops, where most runs publish nothing new.")
    boolean ifCanary;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || !(intervalSeconds > 0)) {
            throw new IllegalArgumentException("--minutes and --interval-seconds must be > 0");
        }
        if (ifCanary) {
            Optional<String> nothing = CanaryWatch.nothingToWatch(dir, run);
            if (nothing.isPresent()) {
                System.out.println("nothing to watch: " + nothing.get());
                return 0;
            }
        }
        String token = tokenFile == null
                ? null
                : Files.readAllLines(tokenFile).getFirst().strip();
        CanaryWatch.Decision d = new CanaryWatch()
                .watch(new CanaryWatch.Options(
                        dir,
                        run,
                        server,
                        Duration.ofMillis((long) (minutes * 60_000)),
                        Duration.ofMillis((long) (intervalSeconds * 1000)),
                        minLiveAccuracy,
                        maxDrift,
                        minFeedback,
                        token,
                        System.out));
        return d.decision().equals("promoted") ? 0 : 1;
    }
}
