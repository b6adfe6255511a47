package dev.pier.evaluate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.evaluate.EvaluationReport;
import dev.pier.evaluate.metrics.ClassMetrics;
import dev.pier.evaluate.metrics.ReliabilityBin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the figures of an {@link EvaluationReport} as JSON under stable keys: {@code accuracy},
 * {@code precision_macro}, {@code recall_macro}, {@code f1_macro}, {@code f1_weighted}, {@code per_class}
 * (list of {class, precision, recall, f1, support}), {@code confusion_matrix} (rows = true class),
 * {@code top_k_accuracy}, {@code log_loss}, {@code ece}, {@code latency_ms} ({p50, p99}),
 * {@code throughput} (examples/s, unit in {@code throughput_unit}), {@code parameters}, {@code size_bytes}; plus context ({@code model},
 * {@code dataset}, {@code count}, {@code top_k}, ...). Thread-safe.
 */
public final class JsonReportWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The report as a JSON-ready map, keys in a fixed order. */
    public Map<String, Object> toMap(EvaluationReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("dataset", r.dataset());
        m.put("count", r.count());
        m.put("num_classes", r.numClasses());
        m.put("output_kind", r.outputKind().name().toLowerCase(Locale.ROOT));
        m.put("input_layout", r.inputLayout().name().toLowerCase(Locale.ROOT));
        m.put("accuracy", r.accuracy());
        m.put("precision_macro", r.classification().precisionMacro());
        m.put("recall_macro", r.classification().recallMacro());
        m.put("f1_macro", r.classification().f1Macro());
        m.put("precision_weighted", r.classification().precisionWeighted());
        m.put("recall_weighted", r.classification().recallWeighted());
        m.put("f1_weighted", r.classification().f1Weighted());
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (ClassMetrics c : r.classification().perClass()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("class", c.clazz());
            e.put("precision", c.precision());
            e.put("recall", c.recall());
            e.put("f1", c.f1());
            e.put("support", c.support());
            perClass.add(e);
        }
        m.put("per_class", perClass);
        m.put("confusion_matrix", r.confusion().toArray());
        m.put("top_k", r.topK());
        m.put("top_k_accuracy", r.topKAccuracy());
        m.put("throughput_unit", r.exampleUnit() + "/s");
        m.put("log_loss", r.logLoss());
        m.put("ece", r.ece());
        List<Map<String, Object>> bins = new ArrayList<>();
        for (ReliabilityBin b : r.calibration().bins()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("lower", b.lower());
            e.put("upper", b.upper());
            e.put("count", b.count());
            e.put("accuracy", b.accuracy());
            e.put("confidence", b.meanConfidence());
            bins.add(e);
        }
        m.put("calibration_bins", bins);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", r.latency().p50Ms());
        latency.put("p99", r.latency().p99Ms());
        latency.put("runs", r.latency().runs());
        latency.put("batch_size", r.latency().batchSize());
        m.put("latency_ms", latency);
        m.put("throughput", r.throughput());
        m.put("throughput_batch_size", r.throughputBatch());
        m.put("parameters", r.parameters());
        m.put("size_bytes", r.sizeBytes());
        return m;
    }

    public String toJson(EvaluationReport report) {
        try {
            return MAPPER.writeValueAsString(toMap(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the evaluation report as JSON", e);
        }
    }

    /** Writes the JSON atomically (temporary file, then move). */
    public void write(EvaluationReport report, Path target) {
        dev.pier.io.AtomicFiles.writeUnchecked(
                target, toJson(report).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
