package dev.pier.steps;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.api.TensorSpec;
import dev.pier.api.step.Step;
import dev.pier.api.step.StepContext;
import dev.pier.api.step.StepProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code platform: pier_labels}: turns class scores (FP32 {@code [rows, classes]}) into what a TF Serving image
 * classifier answers, {@code classes} (BYTES: each row's best labels) and {@code scores} (FP32: their scores), best
 * first. Parameter {@code top_k} (default 1) chooses how many per row: with 1 the outputs are {@code [rows]}, else
 * {@code [rows, top_k]}. Labels come from the {@code label_filename} of the first output (the classes); without
 * one a class is its index. Names: the config's first input and two outputs, else {@code scores_in},
 * {@code classes}, {@code scores}. Stateless and thread-safe.
 */
public final class LabelsStep implements Step {
    public static final String PLATFORM = "pier_labels";

    private final String input;
    private final String classes;
    private final String scores;
    private final int topK;
    private final List<String> labels;
    private final ModelSignature signature;

    LabelsStep(StepContext context) {
        input = context.inputName(0, "scores_in");
        classes = context.outputName(0, "classes");
        scores = context.outputName(1, "scores");
        topK = context.intParameter("top_k", 1);
        if (topK < 1) {
            throw new IllegalArgumentException(
                    "model '" + context.model() + "' (pier_labels): parameter 'top_k' must be >= 1, got " + topK);
        }
        labels = context.labels().getOrDefault(classes, List.of());
        Shape in = context.inputs().isEmpty() || context.inputs().getFirst().shape() == null
                ? Shape.of(Shape.DYNAMIC, labels.isEmpty() ? Shape.DYNAMIC : labels.size())
                : context.inputs().getFirst().shape();
        Shape out = topK == 1 ? Shape.of(Shape.DYNAMIC) : Shape.of(Shape.DYNAMIC, topK);
        signature = new ModelSignature(
                List.of(new TensorSpec(input, DataType.FP32, in)),
                List.of(new TensorSpec(classes, DataType.BYTES, out), new TensorSpec(scores, DataType.FP32, out)));
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        Tensor t = inputs.get(input);
        if (t.shape().rank() != 2) {
            throw new InvalidInputException("input '" + input + "' must be [rows, classes], got " + t.shape());
        }
        int rows = (int) t.shape().dim(0);
        int n = (int) t.shape().dim(1);
        int k = Math.min(topK, n);
        if (k < topK) {
            throw new InvalidInputException("input '" + input + "' has " + n + " classes, fewer than top_k " + topK);
        }
        float[] v = t.floats();
        List<byte[]> names = new ArrayList<>(rows * k);
        ByteBuffer best = ByteBuffer.allocate(rows * k * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            boolean[] taken = new boolean[n];
            for (int j = 0; j < k; j++) {
                int arg = -1;
                for (int c = 0; c < n; c++) {
                    if (!taken[c] && (arg < 0 || v[r * n + c] > v[r * n + arg])) {
                        arg = c;
                    }
                }
                taken[arg] = true;
                names.add((arg < labels.size() ? labels.get(arg) : Integer.toString(arg))
                        .getBytes(StandardCharsets.UTF_8));
                best.putFloat(v[r * n + arg]);
            }
        }
        best.flip();
        Shape shape = topK == 1 ? Shape.of(rows) : Shape.of(rows, k);
        List<Tensor> out = new ArrayList<>();
        for (String name : outputNames) {
            out.add(
                    name.equals(classes)
                            ? new Tensor(classes, DataType.BYTES, shape, new TensorData.Strings(names))
                            : new Tensor(scores, DataType.FP32, shape, new TensorData.Packed(best)));
        }
        return out;
    }

    /** Registers {@value #PLATFORM}. */
    public static final class Provider implements StepProvider {
        @Override
        public String platform() {
            return PLATFORM;
        }

        @Override
        public Step create(StepContext context) {
            return new LabelsStep(context);
        }
    }
}
