package dev.pier.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.protocol.client.RestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The reference example's request: the first MNIST test image sent over real HTTP to
 * {@code /v1/models/mnist:predict} in TF Serving's row format, answered beside its true label.
 */
public final class DemoRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answer: true label, predicted class and its probability, and the raw JSON the server sent. */
    public record Answer(int trueLabel, int predicted, double probability, String url, String responseJson) {}

    private DemoRequest() {}

    /**
     * Writes the demo's body (the first MNIST test image, TF Serving's row format) to {@code file}, so the
     * {@code curl -d @request.json} the quickstart suggests works as printed.
     */
    public static Path writeRequest(Path file, Path mnistDir) throws IOException {
        dev.pier.io.AtomicFiles.writeString(file, body(Mnist.load(Mnist.Split.TEST, 1, mnistDir, Shape.of(784))));
        return file;
    }

    private static String body(LabeledData first) {
        StringBuilder body = new StringBuilder("{\"instances\": [[");
        for (int i = 0; i < first.exampleSize(); i++) {
            body.append(i == 0 ? "" : ",").append(first.features()[i]);
        }
        return body.append("]]}").toString();
    }

    public static Answer send(int httpPort, Path mnistDir) throws IOException {
        LabeledData first = Mnist.load(Mnist.Split.TEST, 1, mnistDir, Shape.of(784));
        String body = body(first);
        String base = "http://127.0.0.1:" + httpPort;
        String response = new RestClient(URI.create(base), Duration.ofSeconds(30))
                .predictTf(QuickstartOptions.MODEL, OptionalLong.empty(), body);
        JsonNode probabilities = JSON.readTree(response).get("predictions").get(0);
        int best = 0;
        for (int c = 1; c < probabilities.size(); c++) {
            if (probabilities.get(c).asDouble() > probabilities.get(best).asDouble()) {
                best = c;
            }
        }
        return new Answer(
                first.labels()[0],
                best,
                probabilities.get(best).asDouble(),
                base + "/v1/models/" + QuickstartOptions.MODEL + ":predict",
                response);
    }
}
