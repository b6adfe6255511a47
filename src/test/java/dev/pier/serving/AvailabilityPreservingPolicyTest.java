package dev.pier.serving;

import static dev.pier.api.ModelState.AVAILABLE;
import static dev.pier.api.ModelState.END;
import static dev.pier.api.ModelState.FAILED;
import static dev.pier.api.ModelState.LOADING;
import static dev.pier.api.ModelState.START;
import static dev.pier.api.ModelState.UNLOADING;
import static dev.pier.serving.AvailabilityPreservingPolicy.Kind.FORGET;
import static dev.pier.serving.AvailabilityPreservingPolicy.Kind.LOAD;
import static dev.pier.serving.AvailabilityPreservingPolicy.Kind.UNLOAD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.ModelState;
import dev.pier.serving.AvailabilityPreservingPolicy.Action;
import dev.pier.serving.AvailabilityPreservingPolicy.VersionState;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityPreservingPolicyTest {

    private static VersionState aspired(long v, ModelState s) {
        return new VersionState(v, s, true);
    }

    private static VersionState old(long v, ModelState s) {
        return new VersionState(v, s, false);
    }

    private static List<Action> next(VersionState... snapshot) {
        return AvailabilityPreservingPolicy.next(List.of(snapshot));
    }

    @Test
    void newVersionsLoadInParallel() {
        assertThat(next(aspired(1, START), aspired(2, START)))
                .containsExactlyInAnyOrder(new Action(LOAD, 1), new Action(LOAD, 2));
    }

    @Test
    void oldVersionKeepsServingUntilTheNewOneIsAvailable() {
        assertThat(next(old(1, AVAILABLE), aspired(2, START))).containsExactly(new Action(LOAD, 2));
        assertThat(next(old(1, AVAILABLE), aspired(2, LOADING))).isEmpty();
        assertThat(next(old(1, AVAILABLE), aspired(2, AVAILABLE))).containsExactly(new Action(UNLOAD, 1));
    }

    @Test
    void oldVersionKeepsServingWhenTheNewOneFails() {
        assertThat(next(old(1, AVAILABLE), aspired(2, FAILED))).isEmpty();
    }

    @Test
    void onlyTheNewestOldVersionIsKeptWhileWaiting() {
        assertThat(next(old(1, AVAILABLE), old(2, AVAILABLE), aspired(3, LOADING)))
                .containsExactly(new Action(UNLOAD, 1));
    }

    @Test
    void aModelWithNothingAspiredUnloadsEverything() {
        assertThat(next(old(1, AVAILABLE), old(2, AVAILABLE)))
                .containsExactlyInAnyOrder(new Action(UNLOAD, 1), new Action(UNLOAD, 2));
    }

    @Test
    void finishedAndFailedVersionsNoLongerAspiredAreForgotten() {
        assertThat(next(old(1, END), old(2, FAILED), old(3, START), aspired(4, AVAILABLE)))
                .containsExactlyInAnyOrder(new Action(FORGET, 1), new Action(FORGET, 2), new Action(FORGET, 3));
    }

    @Test
    void failedAspiredVersionsAreNotRetriedAndTransitionsInFlightAreLeftAlone() {
        assertThat(next(aspired(1, FAILED))).isEmpty();
        assertThat(next(old(1, UNLOADING), old(2, LOADING), aspired(3, AVAILABLE)))
                .isEmpty();
    }

    @Test
    void aReAspiredUnloadedVersionLoadsAgain() {
        assertThat(next(aspired(1, END))).containsExactly(new Action(LOAD, 1));
    }
}
