package dev.pier.compress.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.compress.CompressionReport;
import dev.pier.compress.CompressionService;
import dev.pier.compress.ModelFigures;
import dev.pier.compress.TestModels;
import dev.pier.compress.auto.AutoReport;
import dev.pier.compress.auto.Candidate;
import dev.pier.compress.prune.MagnitudePruner;
import dev.pier.compress.prune.PruneOptions;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML reports: written next to the output by every compression, and listing every candidate of a search. */
class CompressionHtmlTest {
    @TempDir
    Path dir;

    @Test
    void everyCompressionWritesAnHtmlPageWithTheTableAndPerLayerSparsity() throws Exception {
        Path out = dir.resolve("m.pruned.onnx");
        CompressionReport r;
        try (OrtEngine engine = new OrtEngine()) {
            r = new CompressionService(engine)
                    .run(
                            new CompressionService.Request(
                                    TestModels.trainedMlp(),
                                    out,
                                    TestModels.evaluation(),
                                    TestModels.quickEvaluate(),
                                    Optional.empty()),
                            new MagnitudePruner(PruneOptions.magnitude(0.8)));
        }
        Path html = dir.resolve("m.pruned.onnx.compress.html");
        assertThat(html).isRegularFile();
        String page = Files.readString(html);
        assertThat(page)
                .startsWith("<!doctype html>")
                .contains(
                        "prune-magnitude",
                        "non-zero parameters",
                        "latency p50, batch 1 (ms)",
                        "throughput, batch",
                        "macro F1",
                        "Layers");
        assertThat(page)
                .contains(
                        String.format(Locale.ROOT, "%.4f", r.before().accuracy()),
                        String.format(Locale.ROOT, "%.4f", r.after().accuracy()));
        for (var layer : r.layers()) {
            assertThat(page).contains(layer.layer());
            // 80% of each layer's weights are zero
            assertThat(layer.sparsity()).isGreaterThanOrEqualTo(0.79);
        }
        assertThat(page)
                .contains(String.format(Locale.ROOT, "%.2f%%", r.layers().get(0).sparsity() * 100));
        assertThat(page).doesNotContain("<script", "http://", "https://");
    }

    @Test
    void searchPageListsEveryCandidateMarksTheChosenAndEscapesNames() {
        ModelFigures original = new ModelFigures(1000, 250, 250, 0.95, 0.94, 1.0, 2.0, 5000);
        ModelFigures small = new ModelFigures(300, 250, 250, 0.948, 0.94, 0.5, 1.0, 9000);
        ModelFigures bad = new ModelFigures(100, 250, 25, 0.50, 0.45, 0.4, 0.9, 9500);
        AutoReport report = new AutoReport(
                "in.onnx",
                "best.onnx",
                0.01,
                "size",
                original,
                List.of(
                        new Candidate("quantize-dynamic", small, true, null),
                        new Candidate("prune-magnitude 0.9", bad, false, null),
                        new Candidate("prune-structured <0.5>", null, false, "needs two dense layers")),
                "quantize-dynamic");
        String page = new CompressionHtml().render(report, 256);
        assertThat(page)
                .contains(
                        "quantize-dynamic",
                        "prune-magnitude 0.9",
                        "prune-structured &lt;0.5&gt;",
                        "needs two dense layers",
                        "over budget",
                        "chosen",
                        "0.9480",
                        "0.5000",
                        "throughput, batch 256");
        assertThat(page).doesNotContain("<0.5>");
        // the drop column: 0.95 − 0.50 = 45 points
        assertThat(page).contains("45.00");
        int chosenRow = page.indexOf("<tr class=\"chosen\">");
        assertThat(chosenRow).isPositive();
        assertThat(page.substring(chosenRow, page.indexOf("</tr>", chosenRow))).contains("quantize-dynamic");
    }
}
