package dev.pier.bench;

import dev.pier.api.InferRequest;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.kserve.V2Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The one batch {@code pier bench --in-process} runs over and over: from a KServe V2 request file (the same
 * file a server sweep sends, so the baseline sees the same inputs), from the first images of a dataset, or
 * random data shaped from the model's signature. Stateless.
 */
public final class InProcessInputs {

    /** The inputs and how many rows they hold. */
    public record Batch(Map<String, Tensor> inputs, int rows) {}

    private InProcessInputs() {}

    /**
     * @param inputFile a V2 inference request ({@code {"inputs": [...]}}), or null
     * @param dataset   e.g. {@code mnist:test} (a model with one MNIST-shaped FP32 input), or null
     * @param batchSize rows for random and dataset inputs; a file brings its own
     */
    public static Batch of(List<TensorSpec> signature, int batchSize, Path inputFile, String dataset, Path dataDir)
            throws IOException {
        if (inputFile != null) {
            return fromFile(signature, inputFile);
        }
        if (dataset != null) {
            List<InferRequest> rows = BenchInputs.mnist("model", signature, dataset, dataDir);
            Tensor first = rows.get(0).inputs().get(0);
            int size = Math.toIntExact(first.shape().elementCount());
            float[] values = new float[size * batchSize];
            for (int r = 0; r < batchSize; r++) {
                System.arraycopy(rows.get(r % rows.size()).inputs().get(0).floats(), 0, values, r * size, size);
            }
            long[] dims = first.shape().toArray();
            dims[0] = batchSize;
            return new Batch(Map.of(first.name(), Tensor.ofFloats(first.name(), Shape.of(dims), values)), batchSize);
        }
        return new Batch(RandomInputs.forSignature(signature, batchSize, 42), batchSize);
    }

    private static Batch fromFile(List<TensorSpec> signature, Path file) throws IOException {
        InferRequest request;
        try {
            request = V2Codec.decodeRequest(Files.readAllBytes(file), -1, "model", OptionalLong.empty());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--input " + file + " is not a KServe V2 inference request "
                            + "({\"inputs\": [{\"name\", \"datatype\", \"shape\", \"data\"}]}): " + e.getMessage(),
                    e);
        }
        Map<String, Tensor> byName = new LinkedHashMap<>();
        request.inputs().forEach(t -> byName.put(t.name(), t));
        List<String> expected = signature.stream().map(TensorSpec::name).toList();
        if (!byName.keySet().containsAll(expected)) {
            throw new IllegalArgumentException(
                    "--input " + file + " has inputs " + byName.keySet() + " but the model expects " + expected);
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        expected.forEach(n -> inputs.put(n, byName.get(n)));
        Tensor first = inputs.get(expected.get(0));
        int rows = first.shape().rank() == 0 ? 1 : Math.toIntExact(first.shape().dim(0));
        return new Batch(inputs, rows);
    }
}
