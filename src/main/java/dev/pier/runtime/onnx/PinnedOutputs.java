package dev.pier.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.api.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Output tensors that ONNX Runtime writes a run's results into ("pinned outputs"), kept per thread and reused run
 * after run while the batch size and the outputs asked for stay the same. Without them every run has ONNX
 * Runtime allocate each output and the Java binding build an OnnxTensor and its type information over JNI; the
 * profile of the MNIST JSON row put that at about 3 % of a request's CPU.
 *
 * <p>Only a model whose outputs' shapes are known before the run takes part: fixed-width outputs whose
 * dimensions are all fixed but the first, which is then taken to be the batch (the inputs' first dimension).
 * A model that breaks that assumption makes ONNX Runtime refuse the run (the shape it computes differs from the
 * pinned one); the session then answers that run without pinning and {@link #disable disables} pinning for good.
 *
 * <p>Ownership: each thread's slot belongs to this object and is closed by {@link #close()} (under the session's
 * write lock), or when the thread next needs a different shape. Results are copied out to the heap, so nothing
 * returned aliases the reused native memory.
 */
final class PinnedOutputs implements AutoCloseable {
    private final OrtEnvironment env;
    private final Map<String, TensorSpec> specs;
    private final ThreadLocal<Slot> current = new ThreadLocal<>();
    private final Set<Slot> open = ConcurrentHashMap.newKeySet();
    private volatile boolean disabled;

    private PinnedOutputs(OrtEnvironment env, Map<String, TensorSpec> specs) {
        this.env = env;
        this.specs = specs;
    }

    /** Pinning for these outputs, or empty when some output's shape cannot be known before a run. */
    static Optional<PinnedOutputs> forOutputs(OrtEnvironment env, List<TensorSpec> outputs) {
        Map<String, TensorSpec> specs = new HashMap<>();
        for (TensorSpec spec : outputs) {
            if (OrtTensors.packedType(spec.datatype()).isEmpty()) {
                return Optional.empty();
            }
            long[] dims = spec.shape().toArray();
            for (int i = 1; i < dims.length; i++) {
                if (dims[i] == Shape.DYNAMIC) {
                    return Optional.empty();
                }
            }
            specs.put(spec.name(), spec);
        }
        return Optional.of(new PinnedOutputs(env, Map.copyOf(specs)));
    }

    /** Stops pinning (a run showed the outputs' shapes do not follow the batch) and frees every slot. */
    void disable() {
        disabled = true;
        Slot mine = current.get();
        if (mine != null) { // other threads' slots may be in use; close() frees them
            open.remove(mine);
            mine.close();
            current.remove();
        }
    }

    boolean disabled() {
        return disabled;
    }

    /**
     * This thread's slot for a run of {@code batch} rows that asks for {@code wanted}; null when pinning is off,
     * when the batch cannot be told from the inputs, or for virtual threads (which would keep a slot each).
     */
    Slot slot(List<String> wanted, long batch) {
        if (disabled || batch <= 0 || Thread.currentThread().isVirtual()) {
            return null;
        }
        Slot slot = current.get();
        if (slot != null && slot.batch == batch && slot.names.equals(wanted)) {
            return slot;
        }
        if (slot != null) {
            open.remove(slot);
            slot.close();
            current.remove();
        }
        try {
            slot = Slot.create(env, wanted, specs, batch);
        } catch (OrtException e) {
            disable(); // ONNX Runtime would not make such a tensor: it allocates the outputs itself from now on
            return null;
        }
        if (slot != null) {
            open.add(slot);
            current.set(slot);
        }
        return slot;
    }

    /** The batch of a run: the first dimension shared by every input, or -1 when they do not share one. */
    static long batchOf(Iterable<Tensor> inputs) {
        long batch = -1;
        for (Tensor t : inputs) {
            if (t.shape().rank() == 0) {
                return -1;
            }
            long first = t.shape().dim(0);
            if (batch >= 0 && first != batch) {
                return -1;
            }
            batch = first;
        }
        return batch;
    }

    @Override
    public void close() {
        disabled = true;
        for (Slot slot : open) {
            slot.close();
        }
        open.clear();
    }

    /** One thread's output tensors for one batch size and one list of outputs. */
    static final class Slot {
        final long batch;
        final List<String> names;
        private final DataType[] types;
        private final Shape[] shapes;
        private final ByteBuffer[] buffers;
        private final Map<String, OnnxTensor> tensors;

        private Slot(
                List<String> names,
                long batch,
                DataType[] types,
                Shape[] shapes,
                ByteBuffer[] buffers,
                Map<String, OnnxTensor> tensors) {
            this.names = List.copyOf(names);
            this.batch = batch;
            this.types = types;
            this.shapes = shapes;
            this.buffers = buffers;
            this.tensors = tensors;
        }

        static Slot create(OrtEnvironment env, List<String> names, Map<String, TensorSpec> specs, long batch)
                throws OrtException {
            int n = names.size();
            DataType[] types = new DataType[n];
            Shape[] shapes = new Shape[n];
            ByteBuffer[] buffers = new ByteBuffer[n];
            Map<String, OnnxTensor> tensors = new HashMap<>();
            try {
                for (int i = 0; i < n; i++) {
                    TensorSpec spec = specs.get(names.get(i));
                    if (spec == null) {
                        closeAll(tensors);
                        return null; // an output the signature does not name: the run words the error
                    }
                    long[] dims = spec.shape().toArray();
                    if (dims.length > 0 && dims[0] == Shape.DYNAMIC) {
                        dims[0] = batch;
                    }
                    long bytes = Shape.of(dims).elementCount() * spec.datatype().byteSize();
                    if (bytes <= 0 || bytes > NativeStaging.MAX_RETAINED) {
                        closeAll(tensors);
                        return null;
                    }
                    OnnxJavaType type = OrtTensors.packedType(spec.datatype()).orElseThrow();
                    buffers[i] = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
                    types[i] = spec.datatype();
                    shapes[i] = Shape.of(dims);
                    tensors.put(spec.name(), OnnxTensor.createTensor(env, buffers[i], dims, type));
                }
            } catch (OrtException | RuntimeException e) {
                closeAll(tensors);
                throw e;
            }
            return new Slot(names, batch, types, shapes, buffers, Map.copyOf(tensors));
        }

        /** What {@code OrtSession.run} fills. */
        Map<String, OnnxTensor> tensors() {
            return tensors;
        }

        /** The last run's outputs, copied to the heap, in the order asked for. */
        List<Tensor> copyOut() {
            List<Tensor> out = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                ByteBuffer source = buffers[i].duplicate().clear();
                ByteBuffer copy = ByteBuffer.allocate(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                copy.put(source).flip();
                out.add(new Tensor(names.get(i), types[i], shapes[i], new TensorData.Packed(copy)));
            }
            return out;
        }

        void close() {
            closeAll(tensors);
        }

        private static void closeAll(Map<String, OnnxTensor> tensors) {
            tensors.values().forEach(OnnxTensor::close);
        }
    }
}
