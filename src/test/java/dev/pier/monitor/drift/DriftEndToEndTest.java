package dev.pier.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.InferRequest;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.Evaluator;
import dev.pier.monitor.NearestMeanModel;
import dev.pier.profile.Profiles;
import dev.pier.profile.ReferenceProfile;
import dev.pier.protocol.client.RestClient;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift detection through a real server: a nearest-mean MNIST model in a repository with the reference
 * profile that {@link Evaluator#profile} builds on MNIST training images; live traffic over REST (KServe V2);
 * verdicts read from GET /metrics. Clean MNIST test images keep {@code pier_drift_detected} at 0; inverted
 * digits, and noisy ones, raise it within one window (500 rows) of shifted traffic.
 */
class DriftEndToEndTest {
    private static final int BATCH = 50;
    private static final int WINDOW = DriftOptions.defaults().window();

    @TempDir
    Path dir;

    private RunningServer server;
    private RestClient client;
    private LabeledData test;
    private long sent;

    private void start() throws Exception {
        LabeledData train = Mnist.load(Mnist.Split.TRAIN, 10_000, MnistFetcher.defaultDir(), Shape.of(784));
        test = shuffled(Mnist.load(Mnist.Split.TEST, -1, MnistFetcher.defaultDir(), Shape.of(784)), 2_500, 11);
        Path model = new NearestMeanModel(train)
                .save(Files.createDirectories(dir.resolve("mnist/1")).resolve("model.onnx"));
        try (OrtEngine engine = new OrtEngine()) {
            ReferenceProfile profile = new Evaluator(engine).profile(model, train, EvaluateOptions.defaults());
            Profiles.write(profile, Profiles.defaultPath(model));
        }
        server = RunningServer.start(
                ServingOptions.of(dir, null).withWorkers(2, 64), new ServerOptions("127.0.0.1", 0, 0, 64 << 20, 1));
        client = new RestClient(URI.create("http://127.0.0.1:" + server.httpPort()), Duration.ofSeconds(30));
    }

    @Test
    void cleanTrafficStaysDownAndShiftedTrafficRaisesTheFlagWithinOneWindow() throws Exception {
        start();
        try {
            checkCleanThenShifted();
        } finally {
            server.close();
        }
    }

    private void checkCleanThenShifted() throws Exception {
        // clean: 1,500 MNIST test images, 11 evaluations of the 500-row window
        for (int start = 0; start < 1_500; start += BATCH) {
            send(start, UnaryOperator.identity());
            assertThat(detected()).as("drift flag after %d clean rows", sent).isZero();
        }
        Map<String, Double> scores = scores();
        System.out.println("drift scores (PSI) after " + sent + " clean rows: " + scores);
        assertThat(scores)
                .containsKeys("mean_intensity", "ink_area", "center_of_mass_x", "region_1_1", "predicted_class");
        assertThat(scores.values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 0.1));

        // inverted digits (1 - x)
        int rows = shiftedRowsUntilDetected(1_500, x -> 1 - x, null);
        System.out.println("inverted digits: flag up after " + rows + " rows; scores " + scores());
        assertThat(rows).as("rows of inverted digits before the flag went up").isLessThanOrEqualTo(WINDOW);
        assertThat(scores().get("mean_intensity")).isGreaterThan(0.2);

        // back to clean: the flag goes down once the window holds clean rows again
        for (int start = 0; start < WINDOW + 2 * BATCH; start += BATCH) {
            send(start, UnaryOperator.identity());
        }
        assertThat(detected()).as("flag after a window of clean rows again").isZero();

        // heavy Gaussian noise (sigma 0.3, clipped to [0, 1])
        Random random = new Random(7);
        int noisy = shiftedRowsUntilDetected(1_000, null, random);
        System.out.println("noisy digits: flag up after " + noisy + " rows; scores " + scores());
        assertThat(noisy).as("rows of noisy digits before the flag went up").isLessThanOrEqualTo(WINDOW);
    }

    /**
     * {@code n} test images in a seeded random order. Live traffic is a random sample of its population;
     * MNIST's test file is not (it holds one writer group after the other: NIST SD-3, then SD-1), and
     * consecutive windows of it really do differ from the training images (PSI up to 1.0 on
     * {@code std_intensity}), which is a subpopulation shift the detector rightly reports.
     */
    private static LabeledData shuffled(LabeledData data, int n, long seed) {
        int[] order = new int[data.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int per = data.exampleSize();
        float[] x = new float[n * per];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data.features(), order[i] * per, x, i * per, per);
            y[i] = data.labels()[order[i]];
        }
        return new LabeledData(data.name() + " shuffled", x, data.exampleShape(), y, data.numClasses());
    }

    /** Sends shifted batches (test images from {@code first}) until the flag is up; returns the rows sent. */
    private int shiftedRowsUntilDetected(int first, UnaryOperator<Float> shift, Random noise) throws Exception {
        int rows = 0;
        for (int start = first; rows < 2 * WINDOW; start += BATCH) {
            send(
                    start,
                    noise == null ? shift : x -> Math.min(1f, Math.max(0f, x + (float) (0.3 * noise.nextGaussian()))));
            rows += BATCH;
            if (detected() == 1) {
                return rows;
            }
        }
        return Integer.MAX_VALUE;
    }

    private void send(int start, UnaryOperator<Float> shift) throws Exception {
        int per = test.exampleSize();
        float[] x = new float[BATCH * per];
        for (int i = 0; i < x.length; i++) {
            x[i] = shift.apply(test.features()[(start % test.count()) * per + i]);
        }
        client.inferV2(
                new InferRequest(
                        null,
                        "mnist",
                        OptionalLong.empty(),
                        List.of(Tensor.ofFloats("input", Shape.of(BATCH, per), x)),
                        List.of(),
                        Map.of()),
                true);
        sent += BATCH;
        awaitRows(sent);
    }

    /** The drift worker runs off the request path: wait until it has seen every row sent. */
    private void awaitRows(long rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (metric("pier_drift_rows_total\\{model=\"mnist\",version=\"1\"}") < rows) {
            assertThat(System.nanoTime())
                    .as("drift worker saw %d rows in time", rows)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private double detected() {
        return metric("pier_drift_detected\\{model=\"mnist\",version=\"1\"}");
    }

    private double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(client.get("/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private Map<String, Double> scores() {
        Matcher m = Pattern.compile(
                        "(?m)^pier_drift_score\\{feature=\"([^\"]+)\",model=\"mnist\",version=\"1\"} (\\S+)$")
                .matcher(client.get("/metrics"));
        Map<String, Double> out = new java.util.TreeMap<>();
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
