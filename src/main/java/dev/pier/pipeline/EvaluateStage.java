package dev.pier.pipeline;

import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.EvaluationReport;
import dev.pier.evaluate.EvaluationService;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates the candidate (the compressed model, else the trained one) on the test data through
 * {@link EvaluationService}, the code path of {@code pier evaluate}: the figures the gates judge, plus the JSON and
 * HTML reports.
 */
final class EvaluateStage implements StageWork {
    static final String METRICS = "metrics.json";
    static final String REPORT = "report.html";

    @Override
    public Stage stage() {
        return Stage.EVALUATE;
    }

    @Override
    public boolean configured(PipelineSpec spec) {
        return true;
    }

    @Override
    public Map<String, Object> inputs(RunContext ctx) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("model", ctx.candidateHash());
        in.put("test", ctx.spec.data().test());
        in.put("data", ctx.require(Stage.DATA).output(DataStage.MANIFEST));
        return in;
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) {
        EvaluationReport r = evaluate(
                ctx, ctx.candidateModel(), Optional.of(dir.resolve(METRICS)), Optional.of(dir.resolve(REPORT)));
        return new Outcome(List.of(METRICS, REPORT), figures(r));
    }

    static EvaluationReport evaluate(RunContext ctx, Path model, Optional<Path> json, Optional<Path> html) {
        try (OrtEngine engine = new OrtEngine()) {
            return new EvaluationService(engine, ctx.mnistDir)
                    .run(new EvaluationService.Request(
                            model,
                            DataStage.resolveSpec(ctx.spec.data().test(), ctx),
                            EvaluateOptions.defaults(),
                            json,
                            html));
        }
    }

    /** The figures the gates and the run record use. */
    static Map<String, Object> figures(EvaluationReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", r.accuracy());
        m.put("f1_macro", r.classification().f1Macro());
        m.put("latency_p50_ms", r.latency().p50Ms());
        m.put("latency_p99_ms", r.latency().p99Ms());
        m.put("size_mb", r.sizeBytes() / 1e6);
        m.put("size_bytes", r.sizeBytes());
        m.put("examples", r.count());
        return m;
    }
}
