package dev.pier.monitor.feedback;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.monitor.InferenceTap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the last {@code capacity} answered requests predicted, by request id, so that feedback arriving later
 * can be joined to them. Fed by every request (it is an {@link InferenceTap}), not only the sampled ones the
 * prediction log writes. Bounded: a ring of the newest entries, the oldest forgotten first; memory is about
 * 200 bytes per entry. Requests whose output does not read as a classification are not kept.
 *
 * <p>Thread-safe and lock-free: a put is one map insert, one array swap and at most one map removal, so
 * serving workers never wait here.
 */
public final class RecentPredictions implements InferenceTap {
    /**
     * One remembered answer. {@code classes} has one predicted class per row of the request; {@code labelled}
     * turns true with its feedback, so a second one is refused rather than counted twice.
     */
    public record Prediction(String id, String model, long version, int[] classes, AtomicBoolean labelled) {
        public Prediction(String id, String model, long version, int[] classes) {
            this(id, model, version, classes, new AtomicBoolean());
        }
    }

    private final int capacity;
    private final ConcurrentHashMap<String, Prediction> byId;
    private final AtomicReferenceArray<Prediction> ring;
    private final AtomicLong next = new AtomicLong();

    public RecentPredictions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "the recent-predictions window must hold at least 1 request, got " + capacity);
        }
        this.capacity = capacity;
        this.byId = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public void onInference(InferRequest request, InferResponse response) {
        int[] classes = PredictedClasses.of(response);
        if (classes != null && request.id() != null) {
            put(new Prediction(request.id(), response.model(), response.version(), classes));
        }
    }

    void put(Prediction p) {
        byId.put(p.id(), p);
        int slot = (int) Math.floorMod(next.getAndIncrement(), (long) capacity);
        Prediction evicted = ring.getAndSet(slot, p);
        if (evicted != null) {
            // only if still mapped to the evicted entry: a client may reuse an id, and the newer answer stays
            byId.remove(evicted.id(), evicted);
        }
    }

    public Optional<Prediction> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
