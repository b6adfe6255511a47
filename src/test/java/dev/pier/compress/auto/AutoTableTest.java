package dev.pier.compress.auto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.compress.ModelFigures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 19 item 10: the auto table's columns line up whatever the candidates are called. */
class AutoTableTest {

    @Test
    void columnsLineUpWithLongAndShortNames() {
        ModelFigures small = new ModelFigures(12_345, 100, 100, 0.9712, 0.97, 0.0312, 0.05, 1000);
        ModelFigures big = new ModelFigures(1_234_567, 100, 100, 0.98, 0.98, 12.5, 13, 10);
        AutoReport r = new AutoReport(
                "in.onnx",
                "out.onnx",
                0.01,
                "size",
                big,
                List.of(
                        new Candidate("quantize static per-channel entropy calibration (QDQ)", small, true, null),
                        new Candidate("fp16", big, false, null),
                        new Candidate("prune 0.9", null, false, "needs retraining data")),
                "quantize static per-channel entropy calibration (QDQ)");
        List<String> lines = AutoTable.render(r).lines().toList();
        assertThat(lines).hasSize(5);
        int accuracyEnd = lines.get(1).indexOf("0.9800") + "0.9800".length();
        assertThat(lines.get(2).indexOf("0.9712") + 6).isEqualTo(accuracyEnd);
        assertThat(lines.get(3).indexOf("0.9800") + 6).isEqualTo(accuracyEnd);
        assertThat(lines.get(0).indexOf("accuracy") + "accuracy".length()).isEqualTo(accuracyEnd);
        int bytesEnd = lines.get(1).indexOf("1,234,567") + 9;
        assertThat(lines.get(2).indexOf("12,345") + 6).isEqualTo(bytesEnd);
        assertThat(lines.get(2)).endsWith("<= chosen");
        assertThat(lines.get(4)).contains("prune 0.9").contains("skipped: needs retraining data");
    }
}
