package dev.pier.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void generatedIdsAreVersionFourUuidsWithTheRfcVariant() {
        for (int i = 0; i < 1_000; i++) {
            UUID id = UUID.fromString(RequestIds.orGenerate(null));
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2); // RFC 9562 / 4122: bits 10
        }
    }

    @Test
    void aClientsNonBlankIdIsKeptAndABlankOneReplaced() {
        assertThat(RequestIds.orGenerate("order-17")).isEqualTo("order-17");
        assertThat(RequestIds.orGenerate("  ")).hasSize(36).isNotBlank();
    }

    @Test
    void idsDoNotRepeatWithinOrAcrossThreads() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 8).parallel().forEach(t -> {
            Set<String> mine = new HashSet<>();
            for (int i = 0; i < 20_000; i++) {
                mine.add(RequestIds.orGenerate(null));
            }
            assertThat(mine).hasSize(20_000);
            seen.addAll(mine);
        });
        assertThat(seen).hasSize(8 * 20_000);
    }
}
