package dev.pier.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class VersionPolicyTest {
    private static final TreeSet<Long> ON_DISK = new TreeSet<>(java.util.List.of(3L, 1L, 10L, 2L));

    @Test
    void latestKeepsTheNewestNNumericallyNotLexically() {
        assertThat(VersionPolicy.ofLatest(1).aspired(ON_DISK)).containsExactly(10L);
        assertThat(VersionPolicy.ofLatest(2).aspired(ON_DISK)).containsExactly(10L, 3L);
        assertThat(VersionPolicy.ofLatest(9).aspired(ON_DISK)).containsExactly(10L, 3L, 2L, 1L);
    }

    @Test
    void allKeepsEveryVersionNewestFirst() {
        assertThat(VersionPolicy.ofAll().aspired(ON_DISK)).containsExactly(10L, 3L, 2L, 1L);
    }

    @Test
    void specificKeepsOnlyListedVersionsThatExist() {
        assertThat(VersionPolicy.ofSpecific(1L, 3L, 7L).aspired(ON_DISK)).containsExactly(3L, 1L);
        assertThat(VersionPolicy.ofSpecific(7L).aspired(ON_DISK)).isEmpty();
    }

    @Test
    void nothingOnDiskAspiresNothing() {
        assertThat(VersionPolicy.ofLatest(1).aspired(new TreeSet<>())).isEmpty();
        assertThat(VersionPolicy.ofAll().aspired(new TreeSet<>())).isEmpty();
    }

    @Test
    void defaultIsLatestOne() {
        assertThat(new VersionPolicy(null, null, null).aspired(ON_DISK)).containsExactly(10L);
    }

    @Test
    void rejectsTwoPoliciesAtOnceAndBadNumbers() {
        assertThatThrownBy(() -> new VersionPolicy(new VersionPolicy.Latest(1), new VersionPolicy.All(), null))
                .hasMessageContaining("exactly one of 'latest', 'all' or 'specific'");
        assertThatThrownBy(() -> VersionPolicy.ofLatest(0)).hasMessageContaining("num_versions' must be >= 1, got 0");
        assertThatThrownBy(() -> VersionPolicy.ofSpecific(0L)).hasMessageContaining("integers >= 1");
    }
}
