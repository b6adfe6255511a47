package dev.pier.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.Evaluator;
import dev.pier.io.AtomicFiles;
import dev.pier.runtime.onnx.OrtEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The gates that protect production (TFX's Evaluator "blessing", plus serving cost): minimum accuracy, maximum p99
 * latency and maximum size on the candidate's evaluation, and with {@code baseline: serving} no lower accuracy than
 * the version being served, evaluated in this run on the same test data and, when {@code data.extra: log:DIR} brings
 * labelled logged traffic, also on its held-out rows (both models, gated separately as {@code baseline_traffic}). Any failure throws {@link GateFailure}, so
 * the publish stage never runs. The baseline's figures are cached by its model's hash.
 */
final class GateStage implements StageWork {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Stage stage() {
        return Stage.GATES;
    }

    @Override
    public boolean configured(PipelineSpec spec) {
        return spec.gates() != null;
    }

    @Override
    public Map<String, Object> inputs(RunContext ctx) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("gates", JSON.convertValue(ctx.spec.gates(), Map.class));
        in.put("model", ctx.candidateHash());
        in.put("metrics", ctx.require(Stage.EVALUATE).output(EvaluateStage.METRICS));
        if (ctx.spec.gates().againstServing()) {
            Optional<ServedVersion> served = served(ctx);
            in.put(
                    "baseline",
                    served.map(s -> "version " + s.version() + " " + Hashes.file(s.model()))
                            .orElse("none"));
            Optional.ofNullable(ctx.require(Stage.DATA).outputs().get(LoggedData.HOLDOUT))
                    .ifPresent(h -> in.put("traffic", h));
        }
        return in;
    }

    /** The candidate already serves, or was published, and passed these same gates: nothing to judge again. */
    @Override
    public Optional<String> alreadyDone(RunContext ctx, Optional<StageRecord> previous) {
        Optional<Long> published = repo(ctx).versionHolding(ctx.candidateHash());
        if (published.isEmpty() || previous.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> now = inputs(ctx);
        Map<String, Object> before = previous.get().inputs();
        boolean same = now.get("gates").equals(before.get("gates"))
                && now.get("model").equals(before.get("model"))
                && now.get("metrics").equals(before.get("metrics"));
        return same
                ? Optional.of("version " + published.get() + " holds this model and passed these gates")
                : Optional.empty();
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws IOException {
        PipelineSpec.Gates g = ctx.spec.gates();
        Map<String, Object> candidate = ctx.require(Stage.EVALUATE).result();
        List<GateResult> results = new ArrayList<>();
        if (g.accuracy() != null) {
            results.add(atLeast(
                    "accuracy", number(candidate, "accuracy"), g.accuracy().min(), "min"));
        }
        if (g.latencyP99Ms() != null) {
            results.add(atMost(
                    "latency_p99_ms",
                    number(candidate, "latency_p99_ms"),
                    g.latencyP99Ms().max()));
        }
        if (g.sizeMb() != null) {
            results.add(
                    atMost("size_mb", number(candidate, "size_mb"), g.sizeMb().max()));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("candidate", candidate);
        if (g.againstServing()) {
            Optional<ServedVersion> served = served(ctx);
            if (served.isEmpty()) {
                result.put(
                        "baseline",
                        Map.of("version", "none", "note", "no version is served yet, so the baseline gate holds"));
            } else {
                Map<String, Object> base = baselineFigures(ctx, served.get());
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("version", served.get().version());
                b.put("source", served.get().source());
                b.putAll(base);
                result.put("baseline", b);
                results.add(atLeast(
                        "baseline",
                        "accuracy",
                        number(candidate, "accuracy"),
                        number(base, "accuracy"),
                        "served version " + served.get().version() + "'s accuracy"));
                Optional<LabeledData> traffic = heldOutTraffic(ctx);
                if (traffic.isPresent()) {
                    // the same rows production answered, labelled by feedback: both models, in this run
                    ctx.out.println("        evaluating candidate and served version "
                            + served.get().version() + " on " + traffic.get().count()
                            + " held-out rows of labelled logged traffic");
                    double mine = trafficAccuracy(ctx.candidateModel(), traffic.get());
                    double theirs = trafficAccuracy(served.get().model(), traffic.get());
                    b.put("traffic_accuracy", theirs);
                    b.put("traffic_examples", traffic.get().count());
                    result.put(
                            "candidate_traffic",
                            Map.of("accuracy", mine, "examples", traffic.get().count()));
                    results.add(atLeast(
                            "baseline_traffic",
                            "accuracy on labelled logged traffic",
                            mine,
                            theirs,
                            "served version " + served.get().version() + "'s"));
                }
            }
        }
        result.put("gates", results);
        Files.write(dir.resolve("gates.json"), ModelRepository.JSON.writeValueAsBytes(result));
        List<GateResult> failed = results.stream().filter(r -> !r.passed()).toList();
        if (!failed.isEmpty()) {
            throw new GateFailure(failed, result);
        }
        return new Outcome(List.of("gates.json"), result);
    }

    static ModelRepository repo(RunContext ctx) {
        return new ModelRepository(ctx.repository(), ctx.spec.publish().model());
    }

    private static Optional<ServedVersion> served(RunContext ctx) {
        return ServedVersion.find(repo(ctx), ctx.spec.publish().model(), ctx.server);
    }

    /** The served model evaluated on this run's test data; cached by the model's and the data's hashes. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> baselineFigures(RunContext ctx, ServedVersion served) throws IOException {
        String key = Hashes.of(List.of(
                Hashes.file(served.model()),
                ctx.require(Stage.DATA).output(DataStage.MANIFEST),
                ctx.spec.data().test()));
        Path cached = ctx.cache.dir(Stage.GATES).resolveSibling("baselines").resolve(key + ".json");
        if (Files.isRegularFile(cached)) {
            return JSON.readValue(cached.toFile(), Map.class);
        }
        ctx.out.println("        evaluating the served version " + served.version() + " on the same test data");
        Map<String, Object> figures =
                EvaluateStage.figures(EvaluateStage.evaluate(ctx, served.model(), Optional.empty(), Optional.empty()));
        AtomicFiles.write(cached, JSON.writeValueAsBytes(figures));
        return figures;
    }

    /** The held-out labelled logged rows the data stage kept for this gate, shaped like the test data; empty if none. */
    private static Optional<LabeledData> heldOutTraffic(RunContext ctx) throws IOException {
        if (!ctx.require(Stage.DATA).outputs().containsKey(LoggedData.HOLDOUT)) {
            return Optional.empty();
        }
        LabeledData test = DataStage.load(ctx.spec.data().test(), ctx, Shape.of(784));
        return LoggedData.read(ctx.cache.dir(Stage.DATA).resolve(LoggedData.HOLDOUT), test);
    }

    private static double trafficAccuracy(Path model, LabeledData traffic) {
        try (OrtEngine engine = new OrtEngine()) {
            return new Evaluator(engine)
                    .evaluate(model, traffic, EvaluateOptions.defaults().withLatencyRuns(3, 1))
                    .accuracy();
        }
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static GateResult atLeast(String gate, double value, double min, String what) {
        return atLeast(gate, gate, value, min, what);
    }

    private static GateResult atLeast(String gate, String figure, double value, double min, String what) {
        double margin = value - min;
        boolean ok = margin >= 0;
        return new GateResult(
                gate,
                ok,
                value,
                min,
                margin,
                String.format(
                        Locale.ROOT,
                        ok ? "%s %.4f >= %s %.4f" : "%s %.4f < %s %.4f (short by %.4f)",
                        figure,
                        value,
                        what,
                        min,
                        -margin));
    }

    private static GateResult atMost(String gate, double value, double max) {
        double margin = max - value;
        boolean ok = margin >= 0;
        return new GateResult(
                gate,
                ok,
                value,
                max,
                margin,
                String.format(
                        Locale.ROOT,
                        ok ? "%s %.4f <= max %.4f" : "%s %.4f > max %.4f (over by %.4f)",
                        gate,
                        value,
                        max,
                        -margin));
    }
}
