package dev.pier.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.PierException;
import dev.pier.api.UnavailableException;
import dev.pier.protocol.kserve.V2Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sends one prediction request to a running server and returns its answer ({@code pier predict}). Each call
 * opens and closes its own connection; stateless and thread-safe.
 */
public final class PredictService {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public PredictResult predict(PredictOptions o) {
        try {
            return call(o);
        } catch (UnavailableException e) {
            throw unreachable(e, o);
        }
    }

    /** The JDK's connect errors often carry no message ("...: null"); say what failed and what to check. */
    private static UnavailableException unreachable(UnavailableException e, PredictOptions o) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (!(root instanceof java.net.ConnectException)
                && !(root instanceof java.nio.channels.ClosedChannelException)
                && !(root instanceof java.net.UnknownHostException)) {
            return e;
        }
        String where = o.protocol() == PredictOptions.Protocol.GRPC
                ? PredictTransport.grpcTarget(o.url()).toString()
                : PredictTransport.restBase(o.url()).toString();
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new UnavailableException(
                "cannot reach the server at " + where + " (" + why + "); is it running, and is "
                        + "--url right for --protocol " + o.protocol().name().toLowerCase(java.util.Locale.ROOT) + "?",
                e);
    }

    private PredictResult call(PredictOptions o) {
        try (PredictTransport transport = new PredictTransport(o)) {
            Supplier<RemoteModel> metadata = memo(transport::metadata);
            PreparedInput input = InputLoader.load(o, metadata);
            String json;
            List<OutputValues> outputs;
            if (o.protocol() == PredictOptions.Protocol.TFSERVING) {
                String answer = transport.predictTf(input.asTfBody());
                JsonNode tree = tree(answer);
                json = pretty(tree);
                outputs = TfAnswer.outputs(tree);
            } else {
                InferRequest request = input.request();
                InferResponse response = transport.infer(request);
                InferRequest asJson = new InferRequest(null, o.model(), o.version(), List.of(), List.of(), Map.of());
                json = pretty(
                        tree(new String(V2Codec.encodeResponse(response, asJson).body(), StandardCharsets.UTF_8)));
                outputs = response.outputs().stream().map(OutputValues::of).toList();
            }
            RemoteModel model = null;
            if (o.format() == PredictOptions.OutputFormat.TABLE) {
                try {
                    model = metadata.get(); // only for labels: an answer without them is still an answer
                } catch (PierException | IllegalArgumentException e) {
                    model = null;
                }
            }
            return new PredictResult(json, outputs, model);
        }
    }

    /** The text {@code pier predict} prints for a result. */
    public static String render(PredictResult result, PredictOptions o) {
        return o.format() == PredictOptions.OutputFormat.TABLE ? ResultTable.render(result, o.topK()) : result.json();
    }

    private static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("server answered with something that is not JSON: "
                    + json.lines().findFirst().orElse(""));
        }
    }

    private static String pretty(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
