package dev.pier.runtime.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory that one run's heap-held inputs are copied into so that ONNX Runtime can read them in place
 * ({@code OnnxTensor.createTensor} over a direct buffer keeps using that buffer; over a heap buffer it allocates
 * and fills a new direct one per input). Each inference thread keeps one region and reuses it run after run:
 * no direct buffer is allocated per request, which would also leave its native memory to the next GC.
 *
 * <p>Ownership: a staging lives for one {@link OrtModelSession#run} on one thread; the OnnxTensors made over
 * its slices are closed before the run returns, and the thread's next run overwrites the region. Tensors
 * themselves stay on the heap (immutable, shared by batching and protocols), so nothing escapes.
 * Regions over {@link #MAX_RETAINED} bytes, and those of virtual threads (short-lived), are not kept.
 */
final class NativeStaging {
    static final int MAX_RETAINED = 16 << 20;
    private static final ThreadLocal<ByteBuffer> REGION = new ThreadLocal<>();

    private static final NativeStaging NONE = new NativeStaging(ByteBuffer.allocateDirect(0));

    private final ByteBuffer region;
    private int used;

    private NativeStaging(ByteBuffer region) {
        this.region = region;
    }

    /** A staging with room for {@code bytes} bytes for the current thread's run. */
    static NativeStaging forCurrentThread(long bytes) {
        int size = Math.toIntExact(bytes);
        if (size == 0) {
            return NONE; // every input is direct already
        }
        boolean keep = size <= MAX_RETAINED && !Thread.currentThread().isVirtual();
        ByteBuffer region = keep ? REGION.get() : null;
        if (region == null || region.capacity() < size) {
            int capacity = keep ? Math.max(4096, Integer.highestOneBit(Math.max(size - 1, 1)) << 1) : size;
            region = ByteBuffer.allocateDirect(Math.min(capacity, keep ? MAX_RETAINED : capacity))
                    .order(ByteOrder.nativeOrder());
            if (keep) {
                REGION.set(region);
            }
        }
        return new NativeStaging(region);
    }

    /** A copy of {@code source}'s remaining bytes in this staging's native memory, positioned at 0. */
    ByteBuffer copy(ByteBuffer source) {
        int n = source.remaining();
        ByteBuffer slice = region.slice(used, n).order(ByteOrder.nativeOrder());
        slice.put(0, source, source.position(), n);
        used += n;
        return slice;
    }
}
