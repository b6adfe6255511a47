package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResidencyTrackerTest {
    private static final long MB = 1 << 20;

    private static MemoryBudget.Resident resident(String key, long bytes, long lastUsed, boolean pinned) {
        return new MemoryBudget.Resident(key, bytes, lastUsed, pinned);
    }

    @Test
    void withoutABudgetOrLazyLoadingEverythingLoadsAtOnce() {
        ResidencyTracker t = ResidencyTracker.unlimited();
        assertThat(t.onDemand()).isFalse();
        assertThat(t.admit("'m' version 1", false, 100 * MB, List.of(resident("'a' version 1", 900 * MB, 1, false))))
                .isEqualTo(new ResidencyTracker.Load(List.of()));
    }

    @Test
    void lazyLoadingDefersEveryLoadNoRequestAskedFor() {
        ResidencyTracker t = new ResidencyTracker(0, true);
        assertThat(t.onDemand()).isTrue();
        assertThat(t.admit("'m' version 1", false, MB, List.of())).isInstanceOf(ResidencyTracker.Defer.class);
        assertThat(t.admit("'m' version 1", true, MB, List.of())).isEqualTo(new ResidencyTracker.Load(List.of()));
    }

    @Test
    void underABudgetAnUnaskedLoadHappensOnlyWhenItFitsWithoutUnloading() {
        ResidencyTracker t = new ResidencyTracker(10 * MB, false);
        List<MemoryBudget.Resident> held = List.of(resident("'a' version 1", 6 * MB, 1, false));
        assertThat(t.admit("'m' version 1", false, 4 * MB, held)).isEqualTo(new ResidencyTracker.Load(List.of()));
        assertThat(t.admit("'m' version 1", false, 5 * MB, held)).isInstanceOf(ResidencyTracker.Defer.class);
    }

    @Test
    void anAskedLoadUnloadsTheLeastRecentlyUsedIdleVersions() {
        ResidencyTracker t = new ResidencyTracker(10 * MB, true);
        MemoryBudget.Resident old = resident("'a' version 1", 4 * MB, 1, false);
        MemoryBudget.Resident recent = resident("'b' version 1", 4 * MB, 5, false);
        assertThat(t.admit("'c' version 1", true, 4 * MB, List.of(recent, old)))
                .isEqualTo(new ResidencyTracker.Load(List.of(old)));
    }

    @Test
    void anAskedLoadThatCannotFitIsRefusedSayingWhy() {
        ResidencyTracker t = new ResidencyTracker(10 * MB, true);
        List<MemoryBudget.Resident> pinned = List.of(resident("'a' version 1", 8 * MB, 1, true));
        assertThat(t.admit("'c' version 2", true, 4 * MB, pinned))
                .isInstanceOfSatisfying(
                        ResidencyTracker.Refuse.class,
                        r -> assertThat(r.reason())
                                .contains("cannot load model 'c' version 2")
                                .contains("4.0 MB")
                                .contains("10.0 MB")
                                .contains("in use by in-flight requests")
                                .contains("'a' version 1 8.0 MB (in use)"));
        assertThat(t.admit("'c' version 2", true, 11 * MB, List.of()))
                .isInstanceOfSatisfying(
                        ResidencyTracker.Refuse.class,
                        r -> assertThat(r.reason()).contains("larger than the whole budget"));
    }
}
