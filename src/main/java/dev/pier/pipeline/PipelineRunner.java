package dev.pier.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a pipeline: the stages in order, each skipped when its cache key (the hash of its inputs: parameters, input
 * files' content, upstream outputs' hashes and Pier's version) matches its last successful run, with one progress line
 * per stage. Writes the run record ({@link RunStore}) whether it succeeds or not; a dry run only prints the plan. Not
 * thread-safe: one run per workspace at a time.
 */
public final class PipelineRunner {
    /** Part of every stage's key, so a new Pier reruns everything once. */
    public static final String PIER_VERSION = Optional.ofNullable(
                    PipelineRunner.class.getPackage().getImplementationVersion())
            .orElse("0.1.0");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<StageWork> WORK = List.of(
            new DataStage(),
            new TrainStage(),
            new CompressStage(),
            new EvaluateStage(),
            new GateStage(),
            new PublishStage(),
            new PackageStage(),
            new DeployStage());

    /**
     * @param pipelineFile the pipeline.yaml; its folder is the workspace (cache in .pier/, records in runs/)
     * @param from         stages before it are taken as they last ran, unchecked
     * @param until        stages after it do not run
     * @param dryRun       print what would run and why, run nothing
     * @param force        rerun every stage in range whatever the cache says
     * @param server       a running server to ask which version is served (the baseline)
     * @param mnistDir     where MNIST is
     * @param out          progress
     * @param progressBars training progress bars (off: one line per epoch)
     */
    public record Options(
            Path pipelineFile,
            Optional<Stage> from,
            Optional<Stage> until,
            boolean dryRun,
            boolean force,
            Optional<URI> server,
            Path mnistDir,
            PrintStream out,
            boolean progressBars) {}

    public RunRecord run(Options o) {
        PipelineSpec spec = PipelineParser.parse(o.pipelineFile());
        if (o.from().isPresent()
                && o.until().isPresent()
                && o.from().get().compareTo(o.until().get()) > 0) {
            throw new IllegalArgumentException("--from " + o.from().get().id() + " comes after --until "
                    + o.until().get().id());
        }
        Path base = o.pipelineFile().toAbsolutePath().getParent();
        // milliseconds in the id: run ids sort in start order ("latest"), also for two runs in one second
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now()) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        RunContext ctx = new RunContext(
                spec, base, runId, new StageCache(base), o.mnistDir(), o.server(), o.out(), o.progressBars());
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        o.out().printf("pipeline %s, run %s%s%n", spec.name(), runId, o.dryRun() ? " (dry run: nothing runs)" : "");
        List<StageReport> reports = new ArrayList<>();
        String status = "succeeded";
        String error = null;
        boolean upstreamWouldRun = false;
        int n = WORK.size();
        for (int i = 0; i < n; i++) {
            StageWork work = WORK.get(i);
            Stage stage = work.stage();
            String label = String.format(Locale.ROOT, "[%d/%d] %-9s", i + 1, n, stage.id());
            if (error != null) {
                reports.add(
                        new StageReport(stage.id(), "not_run", "an earlier stage failed", 0, null, null, null, null));
                continue;
            }
            if (!work.configured(spec)) {
                o.out().println(label + " skipped (not in " + o.pipelineFile().getFileName() + ")");
                reports.add(
                        new StageReport(stage.id(), "skipped", "not in the pipeline file", 0, null, null, null, null));
                continue;
            }
            if (o.until().isPresent() && stage.compareTo(o.until().get()) > 0) {
                o.out()
                        .println(label + " not run (after --until "
                                + o.until().get().id() + ")");
                reports.add(new StageReport(stage.id(), "not_run", "after --until", 0, null, null, null, null));
                continue;
            }
            if (o.from().isPresent() && stage.compareTo(o.from().get()) < 0) {
                StageRecord kept = ctx.cache
                        .intact(stage)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "--from " + o.from().get().id() + ": stage " + stage.id()
                                        + " has no result in this workspace yet; run without --from first"));
                ctx.done(stage, kept);
                o.out()
                        .println(label + " kept as it last ran (before --from "
                                + o.from().get().id() + ")");
                reports.add(StageReport.of("kept", "before --from", 0, kept));
                continue;
            }
            if (o.dryRun() && upstreamWouldRun) {
                o.out().println(label + " would run: an upstream stage would rerun");
                reports.add(new StageReport(
                        stage.id(), "would_run", "an upstream stage would rerun", 0, null, null, null, null));
                continue;
            }
            long s0 = System.nanoTime();
            try {
                Map<String, Object> inputs = new LinkedHashMap<>(work.inputs(ctx));
                inputs.put("pier_version", PIER_VERSION);
                String key = Hashes.of(Map.of("stage", stage.id(), "inputs", inputs));
                Optional<StageRecord> previous = ctx.cache.intact(stage);
                if (!o.force()
                        && previous.isPresent()
                        && previous.get().key().equals(key)
                        && work.outsideOutputsIntact(ctx, previous.get())) {
                    ctx.done(stage, previous.get());
                    o.out()
                            .println(label + " up to date (key " + Hashes.shortForm(key) + ", from run "
                                    + previous.get().runId() + ")");
                    reports.add(StageReport.of(
                            "up_to_date",
                            "inputs unchanged since run " + previous.get().runId(),
                            0,
                            previous.get()));
                    continue;
                }
                // --force redoes work, but never publishes a model the repository already holds
                Optional<String> done =
                        o.force() && stage != Stage.PUBLISH ? Optional.empty() : work.alreadyDone(ctx, previous);
                if (done.isPresent()) {
                    StageRecord r = new StageRecord(
                            stage.id(), key, inputs, Map.of(), Map.of("up_to_date", done.get()), runId, 0);
                    ctx.done(stage, r);
                    o.out().println(label + " up to date (" + done.get() + ")");
                    reports.add(StageReport.of("up_to_date", done.get(), 0, r));
                    continue;
                }
                String reason = o.force()
                        ? "--force"
                        : previous.map(p -> p.key().equals(key)
                                        ? "its outputs outside the cache were missing or changed"
                                        : changes(p.inputs(), inputs))
                                .orElse("never ran in this workspace");
                if (o.dryRun()) {
                    upstreamWouldRun = true;
                    o.out().println(label + " would run: " + reason);
                    reports.add(new StageReport(stage.id(), "would_run", reason, 0, key, inputs, null, null));
                    continue;
                }
                o.out().println(label + " running: " + reason);
                Path scratch = ctx.cache.scratch(stage);
                StageWork.Outcome outcome = work.run(ctx, scratch);
                Map<String, String> outputs = new LinkedHashMap<>();
                for (String f : outcome.outputs()) {
                    outputs.put(f, Hashes.file(scratch.resolve(f)));
                }
                double seconds = (System.nanoTime() - s0) / 1e9;
                StageRecord record =
                        new StageRecord(stage.id(), key, inputs, outputs, outcome.result(), runId, seconds);
                ctx.cache.commit(stage, scratch, record);
                ctx.done(stage, record);
                o.out().printf(Locale.ROOT, "%s done in %.1f s%s%n", label, seconds, summary(stage, outcome.result()));
                reports.add(StageReport.of("ran", reason, seconds, record));
            } catch (GateFailure g) {
                status = "gate_failed";
                error = g.getMessage();
                o.out().println(label + " FAILED: " + g.getMessage());
                reports.add(new StageReport(
                        stage.id(),
                        "failed",
                        g.getMessage(),
                        (System.nanoTime() - s0) / 1e9,
                        null,
                        null,
                        null,
                        g.result()));
            } catch (Exception e) {
                if (o.dryRun() && e instanceof IllegalStateException) {
                    upstreamWouldRun = true;
                    o.out().println(label + " would run: " + e.getMessage());
                    reports.add(new StageReport(stage.id(), "would_run", e.getMessage(), 0, null, null, null, null));
                    continue;
                }
                status = "failed";
                error = stage.id() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
                o.out().println(label + " FAILED: " + error);
                reports.add(new StageReport(
                        stage.id(), "failed", error, (System.nanoTime() - s0) / 1e9, null, null, null, null));
                if (e instanceof IllegalArgumentException || e instanceof dev.pier.api.PierException) {
                    // bad input: no run record, exit 2 with the message as it is
                    throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
            }
        }
        RunRecord record = record(ctx, o, status, error, started, (System.nanoTime() - t0) / 1e9, reports);
        if (o.dryRun()) {
            return record;
        }
        new RunStore(base).write(record);
        boolean allUpToDate = reports.stream()
                .allMatch(r -> !r.status().equals("ran") && !r.status().equals("failed"));
        if (error == null) {
            o.out()
                    .println(
                            allUpToDate
                                    ? "every stage was up to date: nothing to do (run " + runId + ")"
                                    : "run " + runId + " succeeded"
                                            + (record.published() == null
                                                            || record.published()
                                                                            .get("version")
                                                                    == null
                                                    ? ""
                                                    : (publishRan(reports) ? ": published " : ": already published as ")
                                                            + spec.publish().model() + " version "
                                                            + record.published().get("version")));
        }
        o.out().println("run record: " + new RunStore(base).dir(runId).resolve("run.json"));
        if (error != null) {
            throw status.equals("gate_failed")
                    ? new GateFailure(List.of(), Map.of(), error)
                    : new PipelineFailure(error);
        }
        return record;
    }

    private static boolean publishRan(List<StageReport> reports) {
        return reports.stream()
                .anyMatch(
                        r -> r.stage().equals(Stage.PUBLISH.id()) && r.status().equals("ran"));
    }

    private static String summary(Stage stage, Map<String, Object> result) {
        return switch (stage) {
            case TRAIN ->
                result.containsKey("validation_accuracy")
                        ? String.format(
                                Locale.ROOT,
                                ": validation accuracy %.4f",
                                ((Number) result.get("validation_accuracy")).doubleValue())
                        : "";
            case EVALUATE ->
                String.format(
                        Locale.ROOT,
                        ": accuracy %.4f, p99 %.3f ms, %.3f MB",
                        ((Number) result.get("accuracy")).doubleValue(),
                        ((Number) result.get("latency_p99_ms")).doubleValue(),
                        ((Number) result.get("size_mb")).doubleValue());
            case PUBLISH -> ": version " + result.get("version");
            case COMPRESS -> ": " + result.get("chosen");
            default -> "";
        };
    }

    /** What changed between two runs' inputs, e.g. {@code epochs 1 -> 2}. */
    static String changes(Map<String, Object> before, Map<String, Object> now) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object was = before.get(e.getKey());
            if (!Objects.equals(canonical(was), canonical(e.getValue()))) {
                changed.add(e.getKey()
                        + (isHash(was) || isHash(e.getValue()) || was instanceof Map || e.getValue() instanceof Map
                                ? " changed"
                                : " " + brief(was) + " -> " + brief(e.getValue())));
            }
        }
        before.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> changed.add(k + " removed"));
        return changed.isEmpty() ? "its outputs were missing or changed" : String.join(", ", changed);
    }

    /** Numbers compare by value: a long read back from JSON is an int. */
    private static String canonical(Object v) {
        try {
            return Hashes.CANONICAL.writeValueAsString(
                    Hashes.CANONICAL.readTree(Hashes.CANONICAL.writeValueAsString(v)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    private static String brief(Object v) {
        return String.valueOf(v).replaceAll("([0-9a-f]{12})[0-9a-f]{52}", "$1");
    }

    private static boolean isHash(Object v) {
        return v instanceof String s
                && s.length() >= 40
                && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ' ');
    }

    @SuppressWarnings("unchecked")
    private static RunRecord record(
            RunContext ctx,
            Options o,
            String status,
            String error,
            Instant started,
            double seconds,
            List<StageReport> reports) {
        Map<String, Object> candidate =
                ctx.record(Stage.EVALUATE).map(StageRecord::result).orElse(null);
        Map<String, Object> baseline = null;
        List<GateResult> gates = List.of();
        Map<String, Object> gateResult = reports.stream()
                .filter(r -> r.stage().equals(Stage.GATES.id()))
                .findFirst()
                .map(StageReport::result)
                .orElse(Map.of());
        if (gateResult.get("baseline") instanceof Map<?, ?> b) {
            baseline = (Map<String, Object>) b;
        }
        if (candidate != null && gateResult.get("candidate_traffic") instanceof Map<?, ?> traffic) {
            // the candidate's figure on labelled logged traffic, beside the served version's in the baseline
            candidate = new LinkedHashMap<>(candidate);
            candidate.put("traffic_accuracy", traffic.get("accuracy"));
            candidate.put("traffic_examples", traffic.get("examples"));
        }
        if (gateResult.get("gates") instanceof List<?> list) {
            gates = list.stream()
                    .map(g -> JSON.convertValue(g, GateResult.class))
                    .toList();
        }
        Map<String, Object> published = ctx.record(Stage.PUBLISH)
                .filter(r -> reports.stream()
                        .anyMatch(
                                s -> s.stage().equals("publish") && !s.status().equals("failed")))
                .map(r -> {
                    Map<String, Object> p = new LinkedHashMap<>(r.result());
                    GateStage.repo(ctx).versionHolding(ctx.candidateHash()).ifPresent(v -> p.put("version", v));
                    p.putIfAbsent("model", ctx.spec.publish().model());
                    p.putIfAbsent("repository", ctx.repository().toString());
                    return p;
                })
                .orElse(null);
        String sha = Files.isRegularFile(o.pipelineFile()) ? Hashes.file(o.pipelineFile()) : null;
        return new RunRecord(
                ctx.runId,
                ctx.spec.name(),
                o.pipelineFile().toString(),
                sha,
                PIER_VERSION,
                status,
                error,
                started.toString(),
                seconds,
                RunStore.JSON.convertValue(ctx.spec, Map.class),
                reports,
                candidate,
                baseline,
                gates,
                published,
                List.of());
    }
}
