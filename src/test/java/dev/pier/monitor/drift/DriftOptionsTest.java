package dev.pier.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.cli.PierCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DriftOptionsTest {

    @Test
    void defaultsAndBadValuesNameWhatWasWrong() {
        DriftOptions d = DriftOptions.defaults();
        assertThat(d.enabled()).isTrue();
        assertThat(d.window()).isEqualTo(500);
        assertThat(d.stride()).isEqualTo(100);
        assertThat(d.psiThreshold()).isEqualTo(0.2);
        assertThat(d.ksAlpha()).isZero();
        assertThatThrownBy(() -> d.withWindow(5, 1)).hasMessageContaining(">= 10 rows, got 5");
        assertThatThrownBy(() -> d.withWindow(100, 101))
                .hasMessageContaining("stride must be in 1..100 rows")
                .hasMessageContaining("got 101");
        assertThatThrownBy(() -> d.withThresholds(0, 0)).hasMessageContaining("PSI threshold must be > 0, got 0.0");
        assertThatThrownBy(() -> d.withThresholds(0.2, 1)).hasMessageContaining("KS alpha must be in [0, 1)");
    }

    @Test
    void pierServeFlagsReachTheOptions() {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = PierCli.execute(
                    "serve",
                    "--model-repository",
                    "no-such-repository",
                    "--drift-window",
                    "200",
                    "--drift-every",
                    "300");
        } finally {
            System.setErr(oldErr);
        }
        assertThat(code).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("drift stride must be in 1..200 rows (the window), got 300");
    }
}
