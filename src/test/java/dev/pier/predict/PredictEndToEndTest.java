package dev.pier.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.cli.CliRun;
import dev.pier.cli.PierCli;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.server.PierServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingCore;
import dev.pier.serving.ServingOptions;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier predict} against a real in-process Pier server (ONNX Runtime) serving a small MLP whose
 * weights the test knows, so every printed probability is checked against a plain-Java forward pass.
 */
class PredictEndToEndTest {
    static final int IN = 784;
    static final int HIDDEN = 16;
    static final int OUT = 10;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dir;

    static OrtEngine engine;
    static ServingCore core;
    static PierServer server;
    static float[] w1;
    static float[] b1;
    static float[] w2;
    static float[] b2;

    @BeforeAll
    static void start() throws Exception {
        Random r = new Random(7);
        w1 = random(r, IN * HIDDEN, 0.1f);
        b1 = random(r, HIDDEN, 0.1f);
        w2 = random(r, HIDDEN * OUT, 0.5f);
        b2 = random(r, OUT, 0.1f);
        Path repo = dir.resolve("repo");
        Path file = repo.resolve("mnist/1/model.onnx");
        Files.createDirectories(file.getParent());
        OnnxNetworks.mlp(
                        "mlp",
                        "input",
                        "probabilities",
                        List.of(
                                new DenseLayer(IN, HIDDEN, w1, b1, Activation.RELU),
                                new DenseLayer(HIDDEN, OUT, w2, b2, Activation.SOFTMAX)))
                .save(file);
        engine = new OrtEngine();
        core = ServingCore.start(ServingOptions.of(repo, null), engine);
        server = PierServer.start(new ServerOptions("127.0.0.1", 0, 0, 64 << 20, 1), core);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (core != null) {
            core.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    /** The model's forward pass in plain Java (double accumulation). */
    static double[] forward(float[] x) {
        double[] h = new double[HIDDEN];
        for (int j = 0; j < HIDDEN; j++) {
            double s = b1[j];
            for (int i = 0; i < IN; i++) {
                s += x[i] * w1[i * HIDDEN + j];
            }
            h[j] = Math.max(0, s);
        }
        double[] z = new double[OUT];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < OUT; k++) {
            double s = b2[k];
            for (int j = 0; j < HIDDEN; j++) {
                s += h[j] * w2[j * OUT + k];
            }
            z[k] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int k = 0; k < OUT; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < OUT; k++) {
            z[k] /= sum;
        }
        return z;
    }

    static float[] sample(long seed) {
        Random r = new Random(seed);
        float[] x = new float[IN];
        for (int i = 0; i < IN; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    static String rest() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    static String grpc() {
        return "127.0.0.1:" + server.grpcPort();
    }

    /** Probabilities of every row of the V2 output "probabilities" in a printed JSON answer. */
    static double[][] v2Rows(String json) throws Exception {
        JsonNode out = MAPPER.readTree(json).path("outputs").get(0);
        assertThat(out.path("name").asText()).isEqualTo("probabilities");
        int rows = out.path("shape").get(0).asInt();
        assertThat(out.path("shape").get(1).asInt()).isEqualTo(OUT);
        double[][] p = new double[rows][OUT];
        for (int i = 0; i < rows * OUT; i++) {
            p[i / OUT][i % OUT] = out.path("data").get(i).asDouble();
        }
        return p;
    }

    static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k]).as("class %d", k).isCloseTo(expected[k], within(1e-5));
        }
    }

    static String v2Body(float[]... rows) {
        StringBuilder data = new StringBuilder();
        for (float[] row : rows) {
            for (float v : row) {
                data.append(data.isEmpty() ? "" : ",").append(v);
            }
        }
        return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[" + rows.length + "," + IN
                + "],\"data\":[" + data + "]}]}";
    }

    static byte[] npy(String descr, long[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + dims.toString().strip() + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        return b.array();
    }

    static byte[] floatsLe(float[]... rows) {
        ByteBuffer b = ByteBuffer.allocate(rows.length * IN * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float v : row) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    @Test
    void v2JsonBodyOverRestPrintsTheModelsProbabilities() throws Exception {
        float[] a = sample(1);
        float[] b = sample(2);
        Path input = Files.writeString(dir.resolve("req.json"), v2Body(a, b));
        CliRun run = CliRun.of("predict", "--url", rest(), "--model", "mnist", "--input", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        double[][] p = v2Rows(run.out());
        assertClose(p[0], forward(a));
        assertClose(p[1], forward(b));
    }

    @Test
    void npyOverGrpcAsTableShowsTopClasses() throws Exception {
        float[] a = sample(3);
        Path input = dir.resolve("x.npy");
        Files.write(input, npy("<f4", new long[] {1, IN}, floatsLe(a)));
        CliRun run = CliRun.of(
                "predict",
                "--url",
                "grpc://" + grpc(),
                "--protocol",
                "grpc",
                "--model",
                "mnist",
                "--input",
                input.toString(),
                "--output-format",
                "table",
                "--top-k",
                "2");
        assertThat(run.exit()).as(run.err()).isZero();
        double[] expected = forward(a);
        int[] top = ResultTable.top(expected, 0, OUT, 2);
        assertThat(run.out()).contains("output probabilities  FP32  [1, 10]");
        String line = run.out()
                .lines()
                .filter(l -> l.contains("row 0 top-2:"))
                .findFirst()
                .orElseThrow();
        String[] parts = line.split("top-2:")[1].trim().split("\\s{2,}");
        assertThat(parts).hasSize(2);
        for (int i = 0; i < 2; i++) {
            String[] cls = parts[i].split(" ");
            assertThat(Integer.parseInt(cls[0])).isEqualTo(top[i]);
            double score = Double.parseDouble(cls[1].replace("(", "").replace(")", ""));
            assertThat(score).isCloseTo(expected[top[i]], within(2e-6));
        }
    }

    @Test
    void pngImagesOverBinaryV2AreGrayscaledScaledAndBatched() throws Exception {
        Random r = new Random(11);
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] expectedGray = new float[IN];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = r.nextInt(256);
                gray.getRaster().setSample(x, y, 0, v);
                expectedGray[y * 28 + x] = v / 255f;
            }
        }
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        float[] expectedRgb = new float[IN];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int cr = r.nextInt(256);
                int cg = r.nextInt(256);
                int cb = r.nextInt(256);
                rgb.setRGB(x, y, (cr << 16) | (cg << 8) | cb);
                expectedRgb[y * 28 + x] = 0.299f * (cr / 255f) + 0.587f * (cg / 255f) + 0.114f * (cb / 255f);
            }
        }
        Path g = dir.resolve("gray.png");
        Path c = dir.resolve("color.png");
        ImageIO.write(gray, "png", g.toFile());
        ImageIO.write(rgb, "png", c.toFile());
        CliRun run = CliRun.of(
                "predict", "--url", rest(), "--model", "mnist", "--binary", "--image", g.toString(), c.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        double[][] p = v2Rows(run.out());
        assertThat(p).hasNumberOfRows(2);
        assertClose(p[0], forward(expectedGray));
        assertClose(p[1], forward(expectedRgb));
    }

    @Test
    void bareArrayOverTfServingPrintsPredictions() throws Exception {
        float[] a = sample(4);
        StringBuilder row = new StringBuilder("[[");
        for (int i = 0; i < IN; i++) {
            row.append(i == 0 ? "" : ",").append(a[i]);
        }
        Path input =
                Files.writeString(dir.resolve("bare.json"), row.append("]]").toString());
        CliRun run = CliRun.of(
                "predict", "--url", rest(), "--protocol", "tfserving", "--model", "mnist", "--input", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode root = MAPPER.readTree(run.out());
        JsonNode values = root.has("outputs") ? root.get("outputs") : root.get("predictions");
        double[] p = new double[OUT];
        for (int k = 0; k < OUT; k++) {
            p[k] = values.get(0).get(k).asDouble();
        }
        assertClose(p, forward(a));
    }

    @Test
    void tfInstancesBodyOverV2IsConvertedWithTheSignature() throws Exception {
        float[] a = sample(5);
        StringBuilder row = new StringBuilder("{\"instances\": [[");
        for (int i = 0; i < IN; i++) {
            row.append(i == 0 ? "" : ",").append(a[i]);
        }
        Path input = Files.writeString(dir.resolve("tf.json"), row.append("]]}").toString());
        CliRun run = CliRun.of("predict", "--url", rest(), "--model", "mnist", "--input", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertClose(v2Rows(run.out())[0], forward(a));
    }

    @Test
    void tfInstancesOverTfServingAsTableAndPngOverGrpc() throws Exception {
        float[] a = sample(8);
        StringBuilder row = new StringBuilder("{\"instances\": [[");
        for (int i = 0; i < IN; i++) {
            row.append(i == 0 ? "" : ",").append(a[i]);
        }
        Path input =
                Files.writeString(dir.resolve("tf2.json"), row.append("]]}").toString());
        CliRun run = CliRun.of(
                "predict",
                "--url",
                rest(),
                "--protocol",
                "tfserving",
                "--model",
                "mnist",
                "--version",
                "1",
                "--input",
                input.toString(),
                "--output-format",
                "table",
                "--top-k",
                "1");
        assertThat(run.exit()).as(run.err()).isZero();
        double[] expected = forward(a);
        int best = ResultTable.top(expected, 0, OUT, 1)[0];
        assertThat(run.out())
                .contains("output predictions  JSON  [1, 10]")
                .containsPattern("row 0 top-1:  " + best + " \\(0\\.\\d{6}\\)");

        BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        float[] expectedPixels = new float[IN];
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                img.getRaster().setSample(x, y, 0, (y / 2) % 2 == 0 ? 255 : 0); // 2x2 blocks: resize is exact
            }
        }
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                expectedPixels[y * 28 + x] = y % 2 == 0 ? 1f : 0f;
            }
        }
        Path png = dir.resolve("big.png");
        ImageIO.write(img, "png", png.toFile());
        CliRun grpcRun = CliRun.of(
                "predict", "--url", grpc(), "--protocol", "grpc", "--model", "mnist", "--image", png.toString());
        assertThat(grpcRun.exit()).as(grpcRun.err()).isZero();
        assertClose(v2Rows(grpcRun.out())[0], forward(expectedPixels));
    }

    @Test
    void unknownVersionShowsTheServersMessage() throws Exception {
        Path input = Files.writeString(dir.resolve("req3.json"), v2Body(sample(9)));
        CliRun run = CliRun.of(
                "predict", "--url", rest(), "--model", "mnist", "--version", "9", "--input", input.toString());
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err()).contains("no version 9");
    }

    @Test
    void helpWorksBesideTheModelVersionOption() {
        CliRun run = CliRun.of("predict", "--help");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("--version=<version>")
                .contains("--image=IMAGE")
                .contains("--top-k");
    }

    @Test
    void missingFileIsOneClearLine() {
        CliRun run = CliRun.of(
                "predict",
                "--url",
                rest(),
                "--model",
                "mnist",
                "--input",
                dir.resolve("nope.json").toString());
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err().strip()).startsWith("pier: ").contains("nope.json").contains("does not exist");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void unknownModelShowsTheServersMessage() throws Exception {
        Path input = Files.writeString(dir.resolve("req2.json"), v2Body(sample(6)));
        for (String[] proto : List.of(new String[] {"v2", rest()}, new String[] {"grpc", grpc()})) {
            CliRun run = CliRun.of(
                    "predict",
                    "--url",
                    proto[1],
                    "--protocol",
                    proto[0],
                    "--model",
                    "fashion",
                    "--input",
                    input.toString());
            assertThat(run.exit()).as(proto[0]).isEqualTo(PierCli.EXIT_USAGE);
            assertThat(run.err())
                    .as(proto[0])
                    .contains("fashion")
                    .contains("not found")
                    .contains("mnist");
        }
    }

    @Test
    void unsupportedNpyDtypeIsNamed() throws Exception {
        Path input = dir.resolve("c.npy");
        Files.write(input, npy("<c8", new long[] {1, 2}, new byte[16]));
        CliRun run = CliRun.of(
                "predict", "--url", rest(), "--model", "mnist", "--input-name", "input", "--input", input.toString());
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err()).contains("unsupported .npy dtype '<c8'").contains("<f4");
    }

    @Test
    void unreachableServerIsReported() {
        CliRun run = CliRun.of(
                "predict",
                "--url",
                "http://127.0.0.1:1",
                "--model",
                "mnist",
                "--input-name",
                "input",
                "--input",
                dir.resolve("x.npy").toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("cannot reach the server at http://127.0.0.1:1");
        CliRun grpcRun = CliRun.of(
                "predict",
                "--url",
                "127.0.0.1:1",
                "--protocol",
                "grpc",
                "--model",
                "mnist",
                "--input-name",
                "input",
                "--input",
                dir.resolve("x.npy").toString());
        assertThat(grpcRun.exit()).isNotZero();
        assertThat(grpcRun.err()).contains("cannot reach the server at grpc://127.0.0.1:1");
    }

    @Test
    void wrongShapeGetsTheServersMessage() throws Exception {
        Path input = dir.resolve("short.npy");
        Files.write(input, npy("<f4", new long[] {1, 3}, new byte[12]));
        CliRun run = CliRun.of("predict", "--url", rest(), "--model", "mnist", "--input", input.toString());
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err()).contains("input").contains("784");
    }
}
