package dev.pier.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies being received or held before decoding, across every connection and both
 * ports, against one limit ({@code --max-inflight-body-bytes}). The per-request limit alone does not bound
 * memory: a dozen concurrent bodies just under it overrun a small heap. A body that does not fit is refused
 * at once ({@link BusyException}: HTTP 503 + Retry-After, gRPC RESOURCE_EXHAUSTED) rather than buffered.
 * Thread-safe, lock-free.
 */
public final class BodyBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public BodyBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the in-flight body budget must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /** A quarter of the heap: room for bodies, their decoded tensors and everything else the server holds. */
    public static long defaultLimit() {
        return Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Takes {@code bytes} from the budget when they fit; false (and nothing taken) when they do not. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (bytes > limit - now) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    /** The refusal for a body that does not fit now. */
    public BusyException busy(String what) {
        return new BusyException("server busy: " + what + " does not fit in the request bodies being received now ("
                + used() + " of " + limit + " bytes, --max-inflight-body-bytes); retry shortly");
    }

    /** Transient overload of the server's intake: HTTP 503 with Retry-After, gRPC RESOURCE_EXHAUSTED. */
    public static final class BusyException extends RuntimeException {
        public BusyException(String message) {
            super(message, null, false, false);
        }
    }
}
