package dev.pier.bench;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Builds the batch-1 requests a load test cycles through: random data shaped from the model's inputs, or
 * MNIST test images for a model whose single FP32 input holds one MNIST image per row. Stateless.
 */
public final class BenchInputs {
    /** How many distinct requests a run cycles through (random seeds or MNIST images). */
    public static final int DISTINCT = 64;

    private BenchInputs() {}

    /** {@link #DISTINCT} random requests shaped from {@code inputs}. */
    public static List<InferRequest> random(String model, List<TensorSpec> inputs) {
        List<InferRequest> out = new ArrayList<>();
        for (int i = 0; i < DISTINCT; i++) {
            Map<String, Tensor> tensors = RandomInputs.forSignature(inputs, 1, 42 + i);
            out.add(request(model, new ArrayList<>(tensors.values())));
        }
        return out;
    }

    /** The first {@link #DISTINCT} images of {@code spec} (e.g. {@code mnist:test}), one per request. */
    public static List<InferRequest> mnist(String model, List<TensorSpec> inputs, String spec, Path dataDir)
            throws IOException {
        if (inputs.size() != 1 || inputs.get(0).datatype() != DataType.FP32) {
            throw new IllegalArgumentException("--dataset " + spec + " needs a model with one FP32 input; model '"
                    + model + "' has inputs " + inputs);
        }
        TensorSpec in = inputs.get(0);
        long[] dims = in.shape().toArray();
        if (dims.length < 2) {
            throw new IllegalArgumentException("--dataset " + spec + " needs an input of shape [batch, 784], "
                    + "[batch, 1, 28, 28] or [batch, 28, 28, 1]; input '" + in.name() + "' has shape " + in.shape());
        }
        Shape example = Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
        if (!Mnist.SHAPES.contains(example)) {
            throw new IllegalArgumentException("--dataset " + spec + " gives MNIST images of shape " + Mnist.SHAPES
                    + " per row, but input '" + in.name() + "' has shape " + in.shape());
        }
        String limited = spec.split(":").length == 2 ? spec + ":" + DISTINCT : spec;
        LabeledData data = Mnist.load(limited, dataDir, example);
        int size = data.exampleSize();
        List<InferRequest> out = new ArrayList<>();
        for (int i = 0; i < Math.min(DISTINCT, data.count()); i++) {
            float[] row = Arrays.copyOfRange(data.features(), i * size, (i + 1) * size);
            out.add(request(model, List.of(Tensor.ofFloats(in.name(), prepend(example), row))));
        }
        return out;
    }

    private static Shape prepend(Shape example) {
        long[] d = example.toArray();
        long[] withBatch = new long[d.length + 1];
        withBatch[0] = 1;
        System.arraycopy(d, 0, withBatch, 1, d.length);
        return Shape.of(withBatch);
    }

    static InferRequest request(String model, List<Tensor> inputs) {
        return new InferRequest(null, model, OptionalLong.empty(), inputs, List.of(), Map.of());
    }
}
