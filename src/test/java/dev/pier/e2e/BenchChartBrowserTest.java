package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.bench.HtmlReport;
import dev.pier.bench.LatencyRecorder;
import dev.pier.bench.StepResult;
import dev.pier.bench.SweepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 10: {@code pier bench}'s HTML chart, laid out by a real browser (headless Chromium): both axes
 * have ticks with values, and every label, the SLO's included, lies inside the SVG's box (it used to run off
 * the right edge). A script appended to the page measures each text's box as Chromium rendered it.
 */
class BenchChartBrowserTest {
    private static final Pattern BOXES = Pattern.compile("<pre id=\"boxes\">(.*?)</pre>", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theChartHasTicksOnBothAxesAndEveryLabelInsideIt() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), "chromium is not installed (apt-get install chromium)");
        List<StepResult> steps = List.of(
                step(1, 180, 2.1, 4.0), step(2, 350, 2.6, 6.5), step(4, 610, 4.8, 12.0), step(8, 640, 11.0, 24.0));
        String html =
                HtmlReport.render(new SweepResult("mnist on 127.0.0.1", StepResult.Mode.CONCURRENCY, steps, 25.0));
        assertThat(count(html, "class=\"tick x\"")).isBetween(4, 11);
        assertThat(count(html, "class=\"tick y\"")).isBetween(4, 11);

        String measure = """
                <pre id="boxes"></pre><script>
                const svg = document.querySelector('svg').getBoundingClientRect();
                document.getElementById('boxes').textContent = JSON.stringify([...document.querySelectorAll('svg text')]
                  .map(t => { const r = t.getBoundingClientRect();
                    return {text: t.textContent, left: r.left - svg.left, top: r.top - svg.top,
                            right: r.right - svg.left, bottom: r.bottom - svg.top}; }));
                </script>""";
        Path page = Files.writeString(dir.resolve("bench.html"), html.replace("</body>", measure + "</body>"));
        String dom = HeadlessChromium.dumpDom(page.toUri().toString(), dir.resolve("profile"));
        Matcher m = BOXES.matcher(dom);
        assertThat(m.find()).as(dom).isTrue();
        JsonNode boxes = new ObjectMapper().readTree(m.group(1).replace("&quot;", "\""));
        assertThat(boxes.size()).isGreaterThan(10);
        boolean slo = false;
        for (JsonNode b : boxes) {
            String text = b.get("text").asText();
            slo |= text.startsWith("SLO p99");
            assertThat(b.get("left").asDouble()).as(text).isGreaterThanOrEqualTo(0);
            assertThat(b.get("top").asDouble()).as(text).isGreaterThanOrEqualTo(0);
            assertThat(b.get("right").asDouble()).as(text).isLessThanOrEqualTo(640);
            assertThat(b.get("bottom").asDouble()).as(text).isLessThanOrEqualTo(360);
        }
        assertThat(slo).as("the SLO label was measured").isTrue();
    }

    @Test
    void tickStepsAreRound() {
        assertThat(HtmlReport.niceStep(704)).isEqualTo(200);
        assertThat(HtmlReport.niceStep(27.5)).isEqualTo(5);
        assertThat(HtmlReport.niceStep(0.9)).isEqualTo(0.2, org.assertj.core.api.Assertions.within(1e-12));
    }

    private static StepResult step(int workers, double throughput, double p50, double p99) {
        return new StepResult(
                StepResult.Mode.CONCURRENCY,
                workers,
                (long) throughput * 10,
                0,
                Map.of(),
                throughput,
                new LatencyRecorder.LatencySummary((long) throughput * 10, p50, p50 * 1.5, p99, p99 * 1.2, p50 * 1.1),
                null,
                null,
                null);
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
