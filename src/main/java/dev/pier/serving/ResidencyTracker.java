package dev.pier.serving;

import java.util.List;
import java.util.Optional;

/**
 * Decides which model versions may hold memory (TF Serving's ResourceTracker): the memory budget, least recently
 * used unloading to make room, and on-demand loading ({@code --lazy-load}, or any budget: a version that does
 * not fit loads when a request asks for it). The {@link ModelManager} asks it before each load and carries out
 * its answer. Immutable and pure: a function of a snapshot, tested without threads or models.
 */
public final class ResidencyTracker {
    /** What to do with a load the version policy wants. */
    public sealed interface Admission {}

    /** Load now, after unloading these versions (least recently used first). */
    public record Load(List<MemoryBudget.Resident> evict) implements Admission {
        public Load {
            evict = List.copyOf(evict);
        }
    }

    /** Not now: stays START/END and loads on its first request. */
    public record Defer() implements Admission {}

    /** A request asked for it but it cannot fit; the reason goes to that request (507). */
    public record Refuse(String reason) implements Admission {}

    private static final Admission LOAD_NOW = new Load(List.of());
    private static final Admission DEFER = new Defer();

    private final long budgetBytes;
    private final boolean lazy;

    /**
     * @param budgetBytes estimated bytes the loaded versions may hold together; 0 = unlimited
     * @param lazy        load a version only when a request asks for it
     */
    public ResidencyTracker(long budgetBytes, boolean lazy) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException(
                    "the memory budget must be >= 0 bytes (0 = unlimited), got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.lazy = lazy;
    }

    /** Everything loads at once and stays: no budget, no lazy loading. */
    public static ResidencyTracker unlimited() {
        return new ResidencyTracker(0, false);
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public boolean lazy() {
        return lazy;
    }

    /** Whether versions may be loaded by requests (and so be absent until one asks). */
    public boolean onDemand() {
        return lazy || budgetBytes > 0;
    }

    /**
     * Whether a load may start now. Without a budget or lazy loading: always. Otherwise a version no request asked
     * for loads only when it fits without unloading anything (never with lazy loading); a requested one unloads
     * least recently used unpinned versions to fit, or is refused with the reason.
     *
     * @param key      names the version in messages, e.g. {@code "'mnist' version 2"}
     * @param demanded a request asked for it
     * @param needed   its estimated bytes
     * @param resident the versions LOADING or AVAILABLE now (LOADING ones pinned)
     */
    public Admission admit(String key, boolean demanded, long needed, List<MemoryBudget.Resident> resident) {
        if (!onDemand()) {
            return LOAD_NOW;
        }
        if (lazy && !demanded) {
            return DEFER;
        }
        Optional<List<MemoryBudget.Resident>> evict = MemoryBudget.evictions(budgetBytes, needed, resident);
        if (!demanded) {
            return evict.isPresent() && evict.get().isEmpty() ? LOAD_NOW : DEFER;
        }
        if (evict.isEmpty()) {
            return new Refuse(refusal(key, needed, resident));
        }
        return new Load(evict.get());
    }

    private String refusal(String key, long needed, List<MemoryBudget.Resident> resident) {
        String held = resident.isEmpty()
                ? "nothing"
                : String.join(
                        ", ",
                        resident.stream()
                                .map(r -> r.key() + " " + MemoryBudget.mb(r.bytes()) + (r.pinned() ? " (in use)" : ""))
                                .toList());
        String why = needed > budgetBytes
                ? "it is larger than the whole budget"
                : "the models that hold the rest are in use by in-flight requests";
        return "cannot load model " + key + ": it needs about " + MemoryBudget.mb(needed)
                + " (its file size) and the memory budget (--memory-budget-mb) is " + MemoryBudget.mb(budgetBytes)
                + "; " + why + ". Loaded now: " + held;
    }
}
