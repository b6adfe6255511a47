package dev.pier.evaluate;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.monitor.log.LoggedExample;
import dev.pier.monitor.log.LoggedTraffic;
import dev.pier.monitor.log.PredictionLogReader;
import dev.pier.runtime.InferenceEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * {@code pier evaluate --from-log}: evaluates a candidate model on logged production traffic that has
 * feedback (the inputs as served, the labels from feedback) with the ordinary {@link Evaluator}, and reports
 * beside it how the served version(s) did on the very same rows, from the logged predictions — the loop that
 * decides whether a candidate should replace what is in production. Thread-safe; borrows the engine.
 */
public final class LogEvaluation {
    /**
     * @param model   the logged model to replay; null = the only one in the log
     * @param version only traffic served by this version, or empty for all
     */
    public record Request(
            Path logDirectory, String model, OptionalLong version, Path candidate, EvaluateOptions options) {}

    /** How one served version did on the evaluated rows. */
    public record Served(long version, int rows, int correct) {
        public double accuracy() {
            return rows == 0 ? 0 : (double) correct / rows;
        }
    }

    /** The candidate's report, the served versions' figures on the same rows, and what the log held. */
    public record Result(EvaluationReport candidate, List<Served> served, LoggedTraffic traffic) {
        public Result {
            served = List.copyOf(served);
        }

        /** The served versions together: what production scored on these rows. */
        public Served servedOverall() {
            return new Served(
                    -1,
                    served.stream().mapToInt(Served::rows).sum(),
                    served.stream().mapToInt(Served::correct).sum());
        }
    }

    private final InferenceEngine engine;

    public LogEvaluation(InferenceEngine engine) {
        this.engine = engine;
    }

    public Result run(Request request) {
        LoggedTraffic traffic = PredictionLogReader.read(request.logDirectory(), request.model(), request.version());
        if (traffic.examples().isEmpty()) {
            throw new InvalidInputException(
                    "the prediction log in " + request.logDirectory() + " has " + traffic.predictions()
                            + " logged prediction(s) and " + traffic.feedback() + " feedback record(s)"
                            + (request.version().isPresent()
                                    ? " for version " + request.version().getAsLong()
                                    : "")
                            + ", but none that joins both (" + traffic.unjoinedFeedback()
                            + " feedback record(s) name requests that were not "
                            + "sampled or were rotated away); post labels to POST /v2/models/<model>/feedback first");
        }
        String name = "log:" + request.logDirectory() + " ("
                + traffic.examples().getFirst().model()
                + request.version().stream()
                        .mapToObj(v -> " version " + v)
                        .findFirst()
                        .orElse("") + ")";
        LabeledData data = dataset(traffic, name);
        float scale = PixelScale.of(data, ImageGeometry.of(data.exampleShape(), name));
        if (scale != 1f) {
            throw new InvalidInputException(
                    "logged inputs of " + name + " are image pixels outside [0, 1]; evaluation would "
                            + "rescale them and so judge the candidate on other inputs than production served; not supported");
        }
        EvaluationReport report = new Evaluator(engine).evaluate(request.candidate(), data, request.options());
        return new Result(report, served(traffic), traffic);
    }

    /** One example per labelled row; every logged input must have the same per-row shape. */
    static LabeledData dataset(LoggedTraffic traffic, String name) {
        Shape example = null;
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int classes = 0;
        for (LoggedExample e : traffic.examples()) {
            Tensor t = e.input();
            if (t.datatype() != DataType.FP32 && t.datatype() != DataType.FP64) {
                throw new InvalidInputException("logged request '" + e.id() + "' has input '" + t.name() + "' of type "
                        + t.datatype() + "; evaluation from the log reads FP32 or FP64 inputs");
            }
            long[] dims = t.shape().toArray();
            int n = e.labels().length;
            boolean batched = dims.length >= 2 && dims[0] == n;
            if (!batched && n != 1) {
                throw new InvalidInputException("logged request '" + e.id() + "' has input shape " + t.shape() + " but "
                        + n + " labels; expected one label per row of the first dimension");
            }
            Shape rowShape = batched ? Shape.of(Arrays.copyOfRange(dims, 1, dims.length)) : t.shape();
            if (example == null) {
                example = rowShape;
            } else if (!example.equals(rowShape)) {
                throw new InvalidInputException(
                        "logged requests disagree on the input's row shape: " + example + " at first, " + rowShape
                                + " in request '" + e.id() + "'; evaluate one model version at a time (--log-version)");
            }
            float[] values = t.datatype() == DataType.FP32 ? t.floats() : toFloats(t.doubles());
            int per = Math.toIntExact(rowShape.elementCount());
            for (int r = 0; r < n; r++) {
                rows.add(Arrays.copyOfRange(values, r * per, (r + 1) * per));
                labels.add(e.labels()[r]);
                classes = Math.max(classes, e.labels()[r] + 1);
            }
        }
        int per = Math.toIntExact(example.elementCount());
        float[] features = new float[rows.size() * per];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, features, i * per, per);
        }
        return new LabeledData(
                name,
                features,
                example,
                labels.stream().mapToInt(Integer::intValue).toArray(),
                classes);
    }

    private static List<Served> served(LoggedTraffic traffic) {
        Map<Long, int[]> byVersion = new TreeMap<>();
        for (LoggedExample e : traffic.examples()) {
            int[] v = byVersion.computeIfAbsent(e.version(), k -> new int[2]);
            for (int r = 0; r < e.labels().length && r < e.predicted().length; r++) {
                v[0]++;
                if (e.predicted()[r] == e.labels()[r]) {
                    v[1]++;
                }
            }
        }
        List<Served> out = new ArrayList<>();
        byVersion.forEach((version, v) -> out.add(new Served(version, v[0], v[1])));
        return out;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
