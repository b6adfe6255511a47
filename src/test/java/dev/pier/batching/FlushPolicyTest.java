package dev.pier.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlushPolicyTest {
    private final BatchingOptions batching = new BatchingOptions(8, List.of(4), 2000, 64, 1);
    private final BatchingOptions noPreferred = new BatchingOptions(8, List.of(), 2000, 64, 1);

    @Test
    void emptyQueueWaitsForArrivals() {
        assertThat(FlushPolicy.decide(0, 0, false, batching)).isEqualTo(new FlushPolicy.Wait(Long.MAX_VALUE));
    }

    @Test
    void partialBatchWaitsForTheRestOfTheDelay() {
        assertThat(FlushPolicy.decide(2, 500, false, batching)).isEqualTo(new FlushPolicy.Wait(1500));
        assertThat(FlushPolicy.decide(7, 1999, false, noPreferred)).isEqualTo(new FlushPolicy.Wait(1));
    }

    @Test
    void delayElapsedFlushes() {
        assertThat(FlushPolicy.decide(1, 2000, false, batching)).isInstanceOf(FlushPolicy.Flush.class);
        assertThat(FlushPolicy.decide(3, 9000, false, noPreferred)).isInstanceOf(FlushPolicy.Flush.class);
    }

    @Test
    void fullOrPreferredSizeFlushesAtOnce() {
        assertThat(FlushPolicy.decide(8, 0, false, noPreferred)).isInstanceOf(FlushPolicy.Flush.class);
        assertThat(FlushPolicy.decide(4, 0, false, batching)).isInstanceOf(FlushPolicy.Flush.class);
        assertThat(FlushPolicy.decide(5, 0, false, batching)).isInstanceOf(FlushPolicy.Flush.class);
        assertThat(FlushPolicy.decide(3, 0, false, batching)).isInstanceOf(FlushPolicy.Wait.class);
    }

    @Test
    void unbatchedAndClosingNeverWait() {
        assertThat(FlushPolicy.decide(1, 0, false, BatchingOptions.unbatched(10, 2)))
                .isInstanceOf(FlushPolicy.Flush.class);
        assertThat(FlushPolicy.decide(1, 0, true, batching)).isInstanceOf(FlushPolicy.Flush.class);
    }
}
