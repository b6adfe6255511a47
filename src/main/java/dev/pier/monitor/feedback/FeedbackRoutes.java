package dev.pier.monitor.feedback;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.InvalidInputException;
import dev.pier.protocol.HttpSupport;
import dev.pier.protocol.codec.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v2/models/{model}/feedback}: the true label of an answered request, by the id its response
 * carried (V2 {@code id}, TF Serving {@code X-Request-Id}). Bodies:
 * <ul>
 *   <li>{@code {"id": "...", "label": 3}} for a request of one row;</li>
 *   <li>{@code {"id": "...", "labels": [3, 1, 4]}} for a batched request, one label per row;</li>
 *   <li>{@code {"feedback": [{"id": ..., "label": ...}, ...]}} for many requests at once (all or nothing).</li>
 * </ul>
 * The answer is {@code {"id", "model_name", "model_version", "correct", "accuracy", "precision", "recall",
 * "f1", "feedback_count"}} (a list under {@code "results"} for the list form): {@code correct} is a boolean,
 * or one per row for {@code labels}; the figures are the version's live ones after this feedback. Errors:
 * 400 naming the field and the expected type, 404 for an id not remembered, 409 for a second feedback.
 * Stateless apart from the service it calls.
 */
public final class FeedbackRoutes {
    private static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);
    private static final long MAX_BODY = 4L << 20;
    private static final String SHAPE =
            "{\"id\": \"<request id>\", \"label\": <class>} or {\"id\": ..., \"labels\": [...]}"
                    + " or {\"feedback\": [...]}";

    private final FeedbackService service;

    public FeedbackRoutes(FeedbackService service) {
        this.service = service;
    }

    public void mount(Router router) {
        router.post("/v2/models/:model/feedback")
                .handler(ctx -> HttpSupport.withBody(ctx, MAX_BODY, body -> handle(ctx, body)));
    }

    private void handle(RoutingContext ctx, byte[] body) {
        try {
            String model = ctx.pathParam("model");
            JsonNode root = parse(body);
            boolean list = root.has("feedback");
            List<Feedback> items = list ? items(root.get("feedback")) : List.of(item(root, ""));
            List<FeedbackService.Result> results = service.submit(model, items);
            HttpSupport.json(ctx, 200, Json.object(g -> {
                if (list) {
                    g.writeArrayFieldStart("results");
                    for (FeedbackService.Result r : results) {
                        g.writeStartObject();
                        write(g, r, true);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                } else {
                    write(g, results.getFirst(), root.has("labels"));
                }
            }));
        } catch (RuntimeException e) {
            HttpSupport.error(ctx, e);
        }
    }

    private static JsonNode parse(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw Json.rethrow(e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("feedback body must be a JSON object " + SHAPE + ", got "
                    + (root == null
                            ? "an empty body"
                            : root.getNodeType().name().toLowerCase()));
        }
        return root;
    }

    private static List<Feedback> items(JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            throw new InvalidInputException(
                    "'feedback' must be a non-empty array of {\"id\", \"label\"} objects, got " + describe(list));
        }
        List<Feedback> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            if (!n.isObject()) {
                throw new InvalidInputException(
                        "feedback[" + i + "] must be an object {\"id\", \"label\"}, got " + describe(n));
            }
            out.add(item(n, "feedback[" + i + "]."));
        }
        return out;
    }

    private static Feedback item(JsonNode n, String where) {
        JsonNode id = n.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new InvalidInputException("'" + where + "id' must be the request id (a non-empty string) that the "
                    + "inference response carried, got " + describe(id) + "; expected " + SHAPE);
        }
        JsonNode label = n.get("label");
        JsonNode labels = n.get("labels");
        if ((label == null) == (labels == null)) {
            throw new InvalidInputException("give exactly one of '" + where + "label' (one row) or '" + where
                    + "labels' (one per row of a batched request); expected " + SHAPE);
        }
        if (label != null) {
            return new Feedback(id.asText(), new int[] {classIndex(label, where + "label")});
        }
        if (!labels.isArray() || labels.isEmpty()) {
            throw new InvalidInputException(
                    "'" + where + "labels' must be a non-empty array of class indices, got " + describe(labels));
        }
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = classIndex(labels.get(i), where + "labels[" + i + "]");
        }
        return new Feedback(id.asText(), out);
    }

    private static int classIndex(JsonNode n, String field) {
        if (n.isIntegralNumber() && n.canConvertToInt() && n.intValue() >= 0) {
            return n.intValue();
        }
        throw new InvalidInputException(
                "'" + field + "' must be a class index (a non-negative integer), got " + describe(n));
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String text = n.toString();
        return n.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
    }

    private static void write(JsonGenerator g, FeedbackService.Result r, boolean perRow) throws IOException {
        LabelledPrediction p = r.joined();
        g.writeStringField("id", p.id());
        g.writeStringField("model_name", p.model());
        g.writeStringField("model_version", Long.toString(p.version()));
        if (perRow) {
            g.writeArrayFieldStart("correct");
            for (int i = 0; i < p.labels().length; i++) {
                g.writeBoolean(p.correct(i));
            }
            g.writeEndArray();
        } else {
            g.writeBooleanField("correct", p.correct(0));
        }
        g.writeNumberField("accuracy", r.live().accuracy());
        g.writeNumberField("precision", r.live().precision());
        g.writeNumberField("recall", r.live().recall());
        g.writeNumberField("f1", r.live().f1());
        g.writeNumberField("feedback_count", r.live().count());
    }
}
