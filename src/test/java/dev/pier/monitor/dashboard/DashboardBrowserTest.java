package dev.pier.monitor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pier.server.ShutdownOptions;
import io.micrometer.core.instrument.Gauge;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens the dashboard of a running server under load in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) and checks what a person would: a row per model, request rates that move and
 * become positive, quality gauges shown where they exist, nothing loaded from outside the server. Saves a
 * screenshot to {@code target/dashboard/dashboard.png}. Skipped when Chromium or its driver is not installed.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "dashboard", "dashboard.png");

    @TempDir
    Path tmp;

    @Test
    void showsEveryModelWithLiveNumbersUnderLoad() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipped: the dashboard browser test needs " + CHROMIUM + " and " + DRIVER
                        + " (apt-get install chromium chromium-driver)");
        try (TwoModelServer s =
                new TwoModelServer(tmp, Optional.empty(), new ShutdownOptions(Duration.ZERO, Duration.ofSeconds(5)))) {
            // the drift and feedback features are other parts of the server: stand in for their gauges
            var registry = s.server.metrics().registry();
            Gauge.builder("pier_live_accuracy", () -> 0.9125)
                    .tags("model", "digits", "version", "1")
                    .register(registry);
            Gauge.builder("pier_drift_score", () -> 0.07)
                    .tags("model", "digits", "version", "1", "feature", "pixel_400")
                    .register(registry);
            Gauge.builder("pier_drift_detected", () -> 0)
                    .tags("model", "digits", "version", "1")
                    .register(registry);
            s.startLoad();
            ChromeDriver browser = chromium(tmp.resolve("chromium-profile"));
            try {
                browser.get(s.base + "/dashboard");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
                for (String model : TwoModelServer.MODELS) {
                    wait.until(d -> !d.findElements(By.cssSelector("tr[data-model='" + model + "']"))
                            .isEmpty());
                }
                // watch the requests/s cells for a few samples: they must move and be positive
                Map<String, Set<String>> seen = new HashMap<>();
                Map<String, Double> maxRate = new HashMap<>();
                long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < until) {
                    for (String model : TwoModelServer.MODELS) {
                        String text = cell(browser, model, "rps").getText();
                        seen.computeIfAbsent(model, k -> new HashSet<>()).add(text);
                        if (text.matches("[0-9.]+")) {
                            maxRate.merge(model, Double.parseDouble(text), Math::max);
                        }
                    }
                    Thread.sleep(250);
                }
                for (String model : TwoModelServer.MODELS) {
                    assertThat(seen.get(model))
                            .as("requests/s shown for %s over 4 s", model)
                            .hasSizeGreaterThan(1);
                    assertThat(maxRate.get(model))
                            .as("highest requests/s shown for %s", model)
                            .isPositive();
                    assertThat(cell(browser, model, "p99").getText())
                            .as("p99 of %s", model)
                            .matches("[0-9.]+");
                    assertThat(browser.findElement(By.cssSelector("tr[data-model='" + model + "'] .badge"))
                                    .getText())
                            .isEqualTo("AVAILABLE");
                }
                assertThat(cell(browser, "digits", "accuracy").getText()).isEqualTo("91.3 %");
                assertThat(cell(browser, "digits", "drift").getText()).isEqualTo("0.07");
                assertThat(cell(browser, "digits_small", "accuracy").getText()).isEqualTo("—");
                assertThat(browser.findElements(By.cssSelector("#c-throughput canvas")))
                        .isNotEmpty();
                assertThat(browser.findElements(By.cssSelector("#c-batch canvas")))
                        .isNotEmpty();

                assertEverythingCameFrom(browser, s.base);
                Files.createDirectories(SCREENSHOT.getParent());
                File shot = browser.getScreenshotAs(OutputType.FILE);
                Path part = SCREENSHOT.resolveSibling("dashboard.png.part");
                Files.copy(shot.toPath(), part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                assertThat(Files.size(SCREENSHOT)).isPositive();
            } finally {
                browser.quit();
            }
        }
    }

    private static WebElement cell(ChromeDriver browser, String model, String field) {
        return browser.findElement(By.cssSelector("tr[data-model='" + model + "'] td[data-field='" + field + "']"));
    }

    /** Every script, style sheet and resource the page loaded came from the Pier server itself. */
    @SuppressWarnings("unchecked")
    private static void assertEverythingCameFrom(ChromeDriver browser, String base) {
        List<String> urls = new ArrayList<>((List<String>) ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".concat([...document.querySelectorAll('script[src]')].map(e => e.src))"
                        + ".concat([...document.querySelectorAll('link[href]')].map(e => e.href))"));
        assertThat(urls)
                .as("resources the page loaded")
                .isNotEmpty()
                .anySatisfy(u -> assertThat(u).endsWith("/dashboard/assets/uPlot.min.js"))
                .allSatisfy(u -> assertThat(u).matches("(" + java.util.regex.Pattern.quote(base) + "/|data:).*"));
    }

    private static ChromeDriver chromium(Path profile) {
        // a fixed driver: Selenium Manager must never try to download one
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1500,1250",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .build();
        return new ChromeDriver(service, options);
    }
}
