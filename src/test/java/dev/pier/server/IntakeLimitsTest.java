package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class IntakeLimitsTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void theConnectionCapFollowsTheOpenFileLimitTheKernelReports() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files"))
                .findFirst()
                .orElseThrow();
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        long expected = soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);

        assertThat(IntakeLimits.openFileLimit()).isEqualTo(expected);
        assertThat(IntakeLimits.defaultMaxConnections())
                .isEqualTo((int) Math.max(64, Math.min(10_000, expected * 3 / 4)));
    }
}
