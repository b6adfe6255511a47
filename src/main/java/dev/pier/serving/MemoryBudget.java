package dev.pier.serving;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses which loaded model versions to unload so that a new one fits a memory budget: least recently
 * used first, never one that is pinned by an in-flight request. A pure function of a snapshot, so it is
 * tested without threads, clocks or models.
 *
 * <p>Sizes are estimates (the model file's size, see {@link ModelLoader#estimatedBytes()}), not measured
 * resident memory. Stateless and thread-safe.
 */
public final class MemoryBudget {

    /** One version holding memory now: its key for messages, estimated bytes, last use (any monotonic clock) and whether requests pin it. */
    public record Resident(String key, long bytes, long lastUsed, boolean pinned) {}

    private MemoryBudget() {}

    /**
     * The versions to unload, least recently used first, so that {@code needed} bytes fit in {@code budget}.
     *
     * @param budget bytes; {@code <= 0} means unlimited (nothing is ever unloaded)
     * @return empty when it cannot fit even after unloading every unpinned version (or is bigger than the budget)
     */
    public static Optional<List<Resident>> evictions(long budget, long needed, List<Resident> resident) {
        if (budget <= 0) {
            return Optional.of(List.of());
        }
        if (needed > budget) {
            return Optional.empty();
        }
        long used = resident.stream().mapToLong(Resident::bytes).sum();
        List<Resident> chosen = new ArrayList<>();
        List<Resident> candidates = resident.stream()
                .filter(r -> !r.pinned())
                .sorted(Comparator.comparingLong(Resident::lastUsed))
                .toList();
        for (Resident r : candidates) {
            if (used + needed <= budget) {
                break;
            }
            chosen.add(r);
            used -= r.bytes();
        }
        return used + needed <= budget ? Optional.of(List.copyOf(chosen)) : Optional.empty();
    }

    /** Bytes as megabytes with one decimal, for messages. */
    static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
