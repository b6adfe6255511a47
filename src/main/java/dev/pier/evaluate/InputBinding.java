package dev.pier.evaluate;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.data.LabeledData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * How dataset examples feed a model's input: which input, which layout, which per-example dimensions,
 * and whether the model fixes the batch size. Resolved once from the model's declared signature; then
 * builds one input tensor per batch. Immutable and thread-safe.
 *
 * @param inputName  the model's (only) input
 * @param datatype   FP32 or FP64, as the model declares
 * @param layout     the resolved layout (never AUTO)
 * @param exampleDims dimensions of one example after the batch dimension
 * @param fixedBatch the batch size the model declares, or 0 when the batch dimension is dynamic
 * @param gather     per example value, its index in the dataset's order; null when no reordering is needed
 *                   (for instance channels-first data into an NHWC model)
 */
public record InputBinding(
        String inputName, DataType datatype, InputLayout layout, long[] exampleDims, int fixedBatch, int[] gather) {

    /** Chooses the layout (detecting it when {@code requested} is AUTO) or explains why none fits. */
    public static InputBinding resolve(
            ModelSignature signature, ImageGeometry geometry, InputLayout requested, String dataset) {
        if (signature.inputs().size() != 1) {
            throw new InvalidInputException(
                    "the model declares " + signature.inputs().size() + " inputs "
                            + signature.inputs().stream().map(TensorSpec::name).toList()
                            + "; evaluation expects a classifier with exactly one image input");
        }
        TensorSpec spec = signature.inputs().getFirst();
        if (spec.datatype() != DataType.FP32 && spec.datatype() != DataType.FP64) {
            throw new InvalidInputException("model input '" + spec.name() + "' is " + spec.datatype()
                    + "; evaluation feeds images as FP32 or FP64 in [0, 1]");
        }
        List<InputLayout> candidates = requested == InputLayout.AUTO
                ? List.of(InputLayout.FLAT, InputLayout.NCHW, InputLayout.NHWC)
                : List.of(requested);
        for (InputLayout layout : candidates) {
            if ((layout == InputLayout.FLAT || geometry.isImage()) && fits(spec.shape(), geometry.dims(layout))) {
                long batch = spec.shape().dim(0);
                return new InputBinding(
                        spec.name(),
                        spec.datatype(),
                        layout,
                        geometry.dims(layout),
                        batch == Shape.DYNAMIC ? 0 : Math.toIntExact(batch),
                        geometry.gather(layout));
            }
        }
        throw new InvalidInputException("model input '" + spec.name() + "' expects " + spec.datatype() + " "
                + spec.shape() + " but dataset " + dataset + " has " + geometry + ", which fit "
                + describe(geometry, requested)
                + (requested == InputLayout.AUTO
                        ? ""
                        : " (--input-layout " + requested.name().toLowerCase() + ")"));
    }

    private static boolean fits(Shape declared, long[] exampleDims) {
        if (declared.rank() != exampleDims.length + 1 || declared.dim(0) == 0) {
            return false;
        }
        for (int i = 0; i < exampleDims.length; i++) {
            long d = declared.dim(i + 1);
            if (d != Shape.DYNAMIC && d != exampleDims[i]) {
                return false;
            }
        }
        return true;
    }

    private static String describe(ImageGeometry geometry, InputLayout requested) {
        List<String> shapes = new ArrayList<>();
        List<InputLayout> layouts = requested == InputLayout.AUTO || !geometry.isImage()
                ? (geometry.isImage()
                        ? List.of(InputLayout.FLAT, InputLayout.NCHW, InputLayout.NHWC)
                        : List.of(InputLayout.FLAT))
                : List.of(requested);
        for (InputLayout l : layouts) {
            StringBuilder s = new StringBuilder("[N");
            for (long d : geometry.dims(l)) {
                s.append(", ").append(d);
            }
            shapes.add(s.append(']').toString());
        }
        return String.join(" or ", shapes);
    }

    public InputBinding {
        exampleDims = exampleDims.clone();
        gather = gather == null ? null : gather.clone();
    }

    @Override
    public int[] gather() {
        return gather == null ? null : gather.clone();
    }

    @Override
    public long[] exampleDims() {
        return exampleDims.clone();
    }

    /** Examples per model call: the model's fixed batch size, else {@code preferred}. */
    public int batchSize(int preferred) {
        return fixedBatch > 0 ? fixedBatch : preferred;
    }

    /**
     * The input tensor for examples {@code [start, start + count)}; when the model fixes a larger batch
     * the rest is zero-padded (the caller drops those rows of the output).
     */
    public Tensor tensor(LabeledData data, int start, int count, float scale) {
        int rows = fixedBatch > 0 ? fixedBatch : count;
        int per = data.exampleSize();
        long[] dims = new long[exampleDims.length + 1];
        dims[0] = rows;
        System.arraycopy(exampleDims, 0, dims, 1, exampleDims.length);
        float[] features = data.features();
        int offset = start * per;
        int n = count * per;
        boolean fp32 = datatype == DataType.FP32;
        ByteBuffer buf = ByteBuffer.allocate(rows * per * (fp32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int src = gather == null ? offset + i : offset + (i / per) * per + gather[i % per];
            if (fp32) {
                buf.putFloat(features[src] * scale);
            } else {
                buf.putDouble((double) features[src] * scale);
            }
        }
        return Tensor.ofPacked(inputName, datatype, Shape.of(dims), buf.array());
    }
}
