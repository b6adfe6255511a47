package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.bench.InProcessBenchmark;
import dev.pier.bench.LatencyRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCapacityTest {

    @TempDir
    Path tmp;

    /** Written the way {@code pier bench --json} writes its result record. */
    private Path benchJson(double rps, double p99) throws Exception {
        var result = new InProcessBenchmark.Result(
                4,
                1,
                10.0,
                (long) (rps * 10),
                rps,
                new LatencyRecorder.LatencySummary((long) (rps * 10), p99 / 3, p99 / 2, p99, p99 * 2, p99 / 3),
                1.0);
        Path file = tmp.resolve("bench-" + rps + ".json");
        new ObjectMapper().writeValue(file.toFile(), result);
        return file;
    }

    @Test
    void readsThroughputAndP99FromABenchResult() throws Exception {
        BenchCapacity c = BenchCapacity.read(benchJson(812.5, 4.25), Optional.of(10.0));
        assertThat(c.rps()).isEqualTo(812.5);
        assertThat(c.p99Ms()).isEqualTo(4.25);
        assertThat(c.source()).contains("812.5").contains("4.250");
    }

    @Test
    void refusesARunAboveTheP99TargetAndFilesOfAnotherShape() throws Exception {
        assertThatThrownBy(() -> BenchCapacity.read(benchJson(100, 25), Optional.of(10.0)))
                .hasMessageContaining("25.000")
                .hasMessageContaining("10.000");
        Path other = Files.writeString(tmp.resolve("x.json"), "{\"rps\": 5}");
        assertThatThrownBy(() -> BenchCapacity.read(other, Optional.empty()))
                .hasMessageContaining("requestsPerSecond")
                .hasMessageContaining("{\"rps\":5}");
    }

    @Test
    void deployCliSizesFromTheBenchFile() throws Exception {
        Path out = tmp.resolve("k8s");
        int code = dev.pier.cli.PierCli.execute(
                "deploy",
                "kubernetes",
                "--image",
                "img:1",
                "--capacity-from",
                benchJson(200, 5).toString(),
                "--p99-target-ms",
                "20",
                "--peak-rps",
                "1000",
                "--out",
                out.toString());
        assertThat(code).isZero();
        var expected = CapacitySizing.plan(CapacitySizing.Inputs.of(200, 1000, 0.7));
        String hpa = Files.readString(out.resolve("03-horizontalpodautoscaler-pier.yaml"));
        assertThat(hpa)
                .contains("maxReplicas: " + expected.maxReplicas())
                .contains("minReplicas: " + expected.minReplicas())
                .contains("measured by pier bench: bench-200.0.json");
    }
}
