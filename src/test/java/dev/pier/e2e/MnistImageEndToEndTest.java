package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.data.MnistPng;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.quickstart.ImageGraphFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 items 2 and 3 with a real server: the quickstart's {@code mnist_image} graph (written by the same code
 * quickstart runs) classifies 1,000 real MNIST test images sent as PNG bytes in TF Serving's {@code {"b64": ...}}
 * form, with exactly the plain model's predictions, hence its accuracy, on the same images sent as pixels; the
 * README's curl body with the {@code digit.png} Pier wrote answers its true label; V2 clients get the
 * classification extension from the same graph; bytes that are no image are a 400 naming the element.
 *
 * <p>The model is a real classifier computed here, not trained (to keep the test short): nearest class centroid of
 * 10,000 training images as one dense layer (w_c = centroid, b_c = -|centroid|²/2) with softmax.
 */
class MnistImageEndToEndTest {
    static final int IMAGES = 1000;
    static final int PER_REQUEST = 100;

    @TempDir
    Path dir;

    @Test
    void theImageGraphMatchesThePlainModelOnAThousandRealPngs() throws Exception {
        Path repo = dir.resolve("models");
        Path dataDir = MnistFetcher.defaultDir();
        writeCentroidModel(repo.resolve("mnist"), dataDir);
        Path png = ImageGraphFiles.write(repo, dataDir);
        LabeledData test = Mnist.load(Mnist.Split.TEST, IMAGES, dataDir, Shape.of(784));

        try (PierProcess pier = PierProcess.serve("--model-repository", repo.toString())) {
            Http http = new Http(pier.httpPort());
            int plainCorrect = 0;
            int graphCorrect = 0;
            for (int start = 0; start < IMAGES; start += PER_REQUEST) {
                StringBuilder pngs = new StringBuilder();
                StringBuilder pixels = new StringBuilder();
                for (int i = start; i < start + PER_REQUEST; i++) {
                    pngs.append(i == start ? "" : ",")
                            .append("{\"b64\": \"")
                            .append(Base64.getEncoder().encodeToString(MnistPng.encode(test, i)))
                            .append("\"}");
                    pixels.append(i == start ? "" : ",")
                            .append(Arrays.toString(Arrays.copyOfRange(test.features(), i * 784, (i + 1) * 784)));
                }
                Http.Answer graph = http.post("/v1/models/mnist_image:predict", "{\"instances\": [" + pngs + "]}");
                assertThat(graph.status()).as(graph.text()).isEqualTo(200);
                Http.Answer plain = http.post("/v1/models/mnist:predict", "{\"instances\": [" + pixels + "]}");
                assertThat(plain.status()).as(plain.text()).isEqualTo(200);
                for (int i = 0; i < PER_REQUEST; i++) {
                    JsonNode g = graph.json().get("predictions").get(i);
                    int plainDigit = argmax(plain.json().get("predictions").get(i));
                    int graphDigit = Integer.parseInt(g.get("classes").asText());
                    assertThat(graphDigit).as("image " + (start + i)).isEqualTo(plainDigit);
                    assertThat(g.get("scores").floatValue())
                            .isEqualTo(plain.json()
                                    .get("predictions")
                                    .get(i)
                                    .get(plainDigit)
                                    .floatValue());
                    int label = test.labels()[start + i];
                    plainCorrect += plainDigit == label ? 1 : 0;
                    graphCorrect += graphDigit == label ? 1 : 0;
                }
            }
            assertThat(graphCorrect).isEqualTo(plainCorrect);
            assertThat(plainCorrect)
                    .as("nearest-centroid accuracy on 1,000 test images")
                    .isGreaterThan(700);

            // the README's example: curl -d '{"instances": [{"b64": "'$(base64 -w0 digit.png)'"}]}'
            // .../mnist_image:predict
            String body = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(Files.readAllBytes(png))
                    + "\"}]}";
            Http.Answer readme = http.post("/v1/models/mnist_image:predict", body);
            assertThat(readme.status()).as(readme.text()).isEqualTo(200);
            assertThat(readme.json().get("predictions").get(0).get("classes").asText())
                    .isEqualTo(Integer.toString(test.labels()[0]));

            // V2 clients: the PNG as a BYTES tensor in the binary extension, answered with Triton's classification
            // extension
            byte[] image = Files.readAllBytes(png);
            byte[] header = ("{\"inputs\": [{\"name\": \"image\", \"shape\": [1], \"datatype\": \"BYTES\","
                            + " \"parameters\": {\"binary_data_size\": " + (image.length + 4) + "}}],"
                            + " \"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"classification\": 3}}]}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer v2 = java.nio.ByteBuffer.allocate(header.length + 4 + image.length)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            v2.put(header).putInt(image.length).put(image);
            Http.Answer classified = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + pier.httpPort() + "/v2/models/mnist_image/infer"))
                    .header("Content-Type", "application/octet-stream")
                    .header("Inference-Header-Content-Length", Integer.toString(header.length))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(v2.array())));
            assertThat(classified.status()).as(classified.text()).isEqualTo(200);
            JsonNode top = classified.json().get("outputs").get(0);
            assertThat(top.get("datatype").asText()).isEqualTo("BYTES");
            assertThat(top.get("shape").toString()).isEqualTo("[1,3]");
            assertThat(top.get("data").get(0).asText())
                    .matches("[0-9]+\\.[0-9]{6}:" + test.labels()[0] + ":" + test.labels()[0]);

            Http.Answer notAnImage =
                    http.post("/v1/models/mnist_image:predict", "{\"instances\": [{\"b64\": \"aGVsbG8=\"}]}");
            assertThat(notAnImage.status()).isEqualTo(400);
            assertThat(notAnImage.text()).contains("input 'image' element 0").contains("not an image");
        }
    }

    private static int argmax(JsonNode probs) {
        int best = 0;
        for (int c = 1; c < probs.size(); c++) {
            if (probs.get(c).floatValue() > probs.get(best).floatValue()) {
                best = c;
            }
        }
        return best;
    }

    /** Nearest centroid as a dense layer: argmax_c (w_c·x - |w_c|²/2) is the closest centroid. */
    private static void writeCentroidModel(Path modelDir, Path dataDir) throws Exception {
        LabeledData train = Mnist.load(Mnist.Split.TRAIN, 10_000, dataDir, Shape.of(784));
        double[][] sum = new double[10][784];
        int[] count = new int[10];
        for (int i = 0; i < train.labels().length; i++) {
            int c = train.labels()[i];
            count[c]++;
            for (int p = 0; p < 784; p++) {
                sum[c][p] += train.features()[i * 784 + p];
            }
        }
        float[] w = new float[784 * 10];
        float[] b = new float[10];
        for (int c = 0; c < 10; c++) {
            double norm = 0;
            for (int p = 0; p < 784; p++) {
                float centroid = (float) (sum[c][p] / count[c]);
                w[p * 10 + c] = centroid;
                norm += centroid * (double) centroid;
            }
            b[c] = (float) (-norm / 2);
        }
        Path version = Files.createDirectories(modelDir.resolve("1"));
        OnnxNetworks.mlp("mnist", "input", "probabilities", List.of(new DenseLayer(784, 10, w, b, Activation.SOFTMAX)))
                .save(version.resolve("model.onnx"));
        Files.writeString(modelDir.resolve("config.yaml"), """
                platform: onnxruntime_onnx
                max_batch_size: 0
                input: [{name: input, data_type: TYPE_FP32, dims: [-1, 784]}]
                output: [{name: probabilities, data_type: TYPE_FP32, dims: [-1, 10], label_filename: labels.txt}]
                """);
        Files.writeString(modelDir.resolve("labels.txt"), "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
    }
}
