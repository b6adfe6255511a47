package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.ModelNotFoundException;
import dev.pier.repository.ModelConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class VersionResolverTest {

    private static ModelConfig config(Map<Long, Integer> traffic, Long shadow, Map<String, Long> labels) {
        return new ModelConfig(
                "m", null, null, null, null, null, null, null, null, null, null, null, labels, traffic, shadow, null);
    }

    /** Draws the given ticket, whatever the bound (checked to be the total weight). */
    private static RandomGenerator ticket(long ticket, long expectedBound) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("the resolver draws a bounded ticket");
            }

            @Override
            public long nextLong(long bound) {
                assertThat(bound)
                        .as("total weight of the available weighted versions")
                        .isEqualTo(expectedBound);
                return ticket;
            }
        };
    }

    private static final RandomGenerator NEVER = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new AssertionError("no weights apply: nothing is drawn");
        }
    };

    @Test
    void withoutWeightsTheNewestAvailableVersionServesAndNoShadowIsCopied() {
        VersionResolver.Choice c = VersionResolver.resolve(List.of(1L, 3L, 7L), ModelConfig.defaults("m"), NEVER);
        assertThat(c).isEqualTo(new VersionResolver.Choice(7, OptionalLong.empty()));
    }

    @Test
    void weightsSplitTrafficByTicketInVersionOrder() {
        Map<Long, Integer> traffic = new HashMap<>();
        traffic.put(2L, 10);
        traffic.put(1L, 90);
        ModelConfig cfg = config(traffic, null, Map.of());
        // tickets [0, 90) go to version 1, [90, 100) to version 2
        assertThat(VersionResolver.resolve(List.of(1L, 2L), cfg, ticket(0, 100)).version())
                .isEqualTo(1);
        assertThat(VersionResolver.resolve(List.of(1L, 2L), cfg, ticket(89, 100))
                        .version())
                .isEqualTo(1);
        assertThat(VersionResolver.resolve(List.of(1L, 2L), cfg, ticket(90, 100))
                        .version())
                .isEqualTo(2);
        assertThat(VersionResolver.resolve(List.of(1L, 2L), cfg, ticket(99, 100))
                        .version())
                .isEqualTo(2);
    }

    @Test
    void aWeightedVersionThatIsNotAvailableIsSkippedAndTheRestRenormalised() {
        Map<Long, Integer> traffic = new HashMap<>();
        traffic.put(1L, 50);
        traffic.put(2L, 30);
        traffic.put(3L, 20);
        ModelConfig cfg = config(traffic, null, Map.of());
        // version 2 not loaded: the total is 70 and version 3 gets tickets [50, 70)
        assertThat(VersionResolver.resolve(List.of(1L, 3L), cfg, ticket(55, 70)).version())
                .isEqualTo(3);
        // no weighted version loaded: the newest available one, nothing drawn
        assertThat(VersionResolver.resolve(List.of(4L), cfg, NEVER).version()).isEqualTo(4);
    }

    @Test
    void theShadowGetsACopyOnlyWhenItIsAvailableAndNotTheServingVersion() {
        ModelConfig cfg = config(Map.of(), 1L, Map.of());
        assertThat(VersionResolver.resolve(List.of(1L, 2L), cfg, NEVER))
                .isEqualTo(new VersionResolver.Choice(2, OptionalLong.of(1)));
        assertThat(VersionResolver.resolve(List.of(2L), cfg, NEVER).shadow())
                .as("shadow not loaded")
                .isEmpty();
        assertThat(VersionResolver.resolve(List.of(1L), cfg, NEVER).shadow())
                .as("the shadow serves itself")
                .isEmpty();
    }

    @Test
    void labelsNameAVersionAndAnUnknownLabelIsNotFoundNamingTheLabels() {
        Map<String, Long> labels = Map.of("stable", 1L);
        assertThat(VersionResolver.label("m", labels, "stable")).isEqualTo(1);
        assertThatThrownBy(() -> VersionResolver.label("m", labels, "canary"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("no version label 'canary'")
                .hasMessageContaining("stable=1");
    }
}
