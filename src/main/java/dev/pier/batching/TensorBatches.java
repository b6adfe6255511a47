package dev.pier.batching;

import dev.pier.api.InternalException;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Concatenates tensors along the first (batch) dimension and splits them back by row counts. Pure. */
final class TensorBatches {
    private TensorBatches() {}

    /** The tensors, which share name, type and non-batch dims, stacked along dim 0. */
    static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.getFirst();
        long rows = parts.stream().mapToLong(t -> t.shape().dim(0)).sum();
        if (first.data() instanceof TensorData.Strings) {
            List<byte[]> all = new ArrayList<>();
            parts.forEach(t -> all.addAll(((TensorData.Strings) t.data()).elements()));
            return new Tensor(
                    first.name(), first.datatype(), first.shape().withFirstDim(rows), new TensorData.Strings(all));
        }
        int bytes = parts.stream()
                .mapToInt(t -> ((TensorData.Packed) t.data()).byteLength())
                .sum();
        ByteBuffer out = ByteBuffer.allocate(bytes);
        parts.forEach(t -> out.put(((TensorData.Packed) t.data()).view()));
        out.flip();
        return new Tensor(first.name(), first.datatype(), first.shape().withFirstDim(rows), new TensorData.Packed(out));
    }

    /** Splits a batched output into consecutive slices of the given row counts. */
    static List<Tensor> split(Tensor batched, int[] rows) {
        long total = 0;
        for (int r : rows) {
            total += r;
        }
        if (batched.shape().rank() == 0 || batched.shape().dim(0) != total) {
            throw new InternalException("output '" + batched.name() + "' has shape " + batched.shape()
                    + " but the batch had " + total + " rows; it cannot be split back to the requests");
        }
        long perRow = total == 0 ? 0 : batched.elementCount() / total;
        List<Tensor> out = new ArrayList<>(rows.length);
        int start = 0;
        for (int r : rows) {
            TensorData data;
            if (batched.data() instanceof TensorData.Strings s) {
                data = new TensorData.Strings(
                        s.elements().subList((int) (start * perRow), (int) ((start + r) * perRow)));
            } else {
                int width = batched.datatype().byteSize();
                data = new TensorData.Packed(((TensorData.Packed) batched.data())
                        .view()
                        .position((int) (start * perRow * width))
                        .limit((int) ((start + r) * perRow * width))
                        .slice());
            }
            out.add(new Tensor(
                    batched.name(), batched.datatype(), batched.shape().withFirstDim(r), data));
            start += r;
        }
        return out;
    }
}
