package dev.pier.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.api.step.Step;
import dev.pier.api.step.StepContext;
import dev.pier.api.step.StepProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code platform: pier_normalize}: per-feature scaling of FP32 {@code [rows, features]} for tabular models, from
 * a JSON file in the model folder named by parameter {@code file}: {@code {"mean": [...], "std": [...]}} gives
 * {@code (x - mean) / std}, {@code {"min": [...], "max": [...]}} gives {@code (x - min) / (max - min)}; one number per
 * feature. Names: the config's first input and output, else {@code input} and {@code output}. Immutable and
 * thread-safe.
 */
public final class NormalizeStep implements Step {
    public static final String PLATFORM = "pier_normalize";

    private final String input;
    private final String output;
    private final float[] offset;
    private final float[] divisor;
    private final ModelSignature signature;

    NormalizeStep(StepContext context) {
        String where = "model '" + context.model() + "' (pier_normalize): ";
        String name = context.parameter("file")
                .orElseThrow(
                        () -> new IllegalArgumentException(
                                where
                                        + "parameter 'file' must name a JSON file in the model folder with {\"mean\": [...], \"std\": [...]} or {\"min\": [...], \"max\": [...]}"));
        Path file = context.modelDir().resolve(name).normalize();
        if (!file.startsWith(context.modelDir().normalize())) {
            throw new IllegalArgumentException(
                    where + "parameter 'file' must be inside the model folder, got '" + name + "'");
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(where + "cannot read " + file + ": " + e.getMessage());
        }
        if (json.has("mean") && json.has("std")) {
            offset = floats(json, "mean", file, where);
            divisor = floats(json, "std", file, where);
        } else if (json.has("min") && json.has("max")) {
            offset = floats(json, "min", file, where);
            float[] max = floats(json, "max", file, where);
            divisor = new float[max.length];
            for (int i = 0; i < max.length && i < offset.length; i++) {
                divisor[i] = max[i] - offset[i];
            }
        } else {
            throw new IllegalArgumentException(
                    where + file + " must hold {\"mean\": [...], \"std\": [...]} or {\"min\": [...], \"max\": [...]}");
        }
        if (offset.length != divisor.length || offset.length == 0) {
            throw new IllegalArgumentException(
                    where + file + ": the two arrays must have the same, non-zero length; got " + offset.length
                            + " and " + divisor.length);
        }
        for (int i = 0; i < divisor.length; i++) {
            if (divisor[i] == 0 || !Float.isFinite(divisor[i])) {
                throw new IllegalArgumentException(where + file + ": feature " + i
                        + " has a zero or non-finite spread (" + divisor[i] + "); it cannot be scaled");
            }
        }
        input = context.inputName(0, "input");
        output = context.outputName(0, "output");
        Shape shape = Shape.of(Shape.DYNAMIC, offset.length);
        signature = new ModelSignature(
                List.of(new TensorSpec(input, DataType.FP32, shape)),
                List.of(new TensorSpec(output, DataType.FP32, shape)));
    }

    private static float[] floats(JsonNode json, String key, Path file, String where) {
        JsonNode a = json.get(key);
        if (!a.isArray()) {
            throw new IllegalArgumentException(where + file + ": '" + key + "' must be an array of numbers");
        }
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new IllegalArgumentException(
                        where + file + ": '" + key + "'[" + i + "] must be a number, got " + a.get(i));
            }
            out[i] = a.get(i).floatValue();
        }
        return out;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        Tensor t = inputs.get(input);
        float[] x = t.floats();
        int features = offset.length;
        for (int i = 0; i < x.length; i++) {
            int f = i % features;
            x[i] = (x[i] - offset[f]) / divisor[f];
        }
        return List.of(Tensor.ofFloats(output, t.shape(), x));
    }

    /** Registers {@value #PLATFORM}. */
    public static final class Provider implements StepProvider {
        @Override
        public String platform() {
            return PLATFORM;
        }

        @Override
        public Step create(StepContext context) {
            return new NormalizeStep(context);
        }
    }
}
