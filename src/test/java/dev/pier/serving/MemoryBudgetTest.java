package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.serving.MemoryBudget.Resident;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void unlimitedBudgetNeverUnloads() {
        assertThat(MemoryBudget.evictions(0, 1_000, List.of(new Resident("a", 500, 1, false))))
                .hasValue(List.of());
    }

    @Test
    void fitsWithoutUnloading() {
        assertThat(MemoryBudget.evictions(1_000, 400, List.of(new Resident("a", 500, 1, false))))
                .hasValue(List.of());
    }

    @Test
    void unloadsLeastRecentlyUsedFirstAndOnlyAsManyAsNeeded() {
        Resident old = new Resident("old", 400, 10, false);
        Resident mid = new Resident("mid", 400, 20, false);
        Resident fresh = new Resident("fresh", 100, 30, false);
        // used 900 of 1000; 300 more needs 200 freed: the oldest alone is enough
        assertThat(MemoryBudget.evictions(1_000, 300, List.of(fresh, mid, old))).hasValue(List.of(old));
        // 700 needs 600 freed: old then mid, never fresh
        assertThat(MemoryBudget.evictions(1_000, 700, List.of(mid, fresh, old))).hasValue(List.of(old, mid));
    }

    @Test
    void neverUnloadsPinnedVersions() {
        Resident pinnedOld = new Resident("pinnedOld", 400, 1, true);
        Resident idle = new Resident("idle", 400, 50, false);
        assertThat(MemoryBudget.evictions(1_000, 500, List.of(pinnedOld, idle))).hasValue(List.of(idle));
        assertThat(MemoryBudget.evictions(1_000, 700, List.of(pinnedOld, idle))).isEmpty();
    }

    @Test
    void refusesWhatIsLargerThanTheWholeBudget() {
        assertThat(MemoryBudget.evictions(1_000, 1_001, List.of())).isEmpty();
        assertThat(MemoryBudget.evictions(1_000, 1_000, List.of(new Resident("a", 10, 1, false))))
                .hasValue(List.of(new Resident("a", 10, 1, false)));
    }
}
