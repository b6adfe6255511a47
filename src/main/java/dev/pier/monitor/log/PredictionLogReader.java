package dev.pier.monitor.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.kserve.V2Codec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Reads a prediction log directory back and joins predictions with feedback by request id, for one model
 * (and optionally one version). Two passes: feedback first, then only the predictions that have some are
 * decoded, so a large log of unlabelled traffic costs little memory. Logged inputs are decoded with the V2
 * codec, as the server decodes requests. Stateless; thread-safe.
 */
public final class PredictionLogReader {
    private static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);

    private PredictionLogReader() {}

    /**
     * @param model   the model whose records to read; null means the only model in the log (an error when several)
     * @param version only records served by this version, or empty for all
     */
    public static LoggedTraffic read(Path directory, String model, OptionalLong version) {
        List<Path> files = files(directory);
        String chosen = model != null ? model : onlyModel(directory, files);
        Map<String, JsonNode> feedback = new HashMap<>();
        int[] skipped = {0};
        int[] predictions = {0};
        // pass 1: feedback only (the type is written first, so other lines are skipped unparsed)
        forEachLine(files, "{\"type\":\"feedback\"", new int[1], (line, node) -> {
            if ("feedback".equals(node.path("type").asText()) && matches(node, chosen, version)) {
                feedback.put(node.path("id").asText(), node);
            }
        });
        List<LoggedExample> examples = new ArrayList<>();
        java.util.Set<String> joined = new java.util.HashSet<>();
        forEachLine(files, null, skipped, (line, node) -> {
            if (!"prediction".equals(node.path("type").asText()) || !matches(node, chosen, version)) {
                return;
            }
            predictions[0]++;
            String id = node.path("id").asText();
            JsonNode labels = feedback.get(id);
            if (labels == null || !joined.add(id)) {
                return;
            }
            InferRequest logged = V2Codec.decodeRequest(line, -1, chosen, OptionalLong.empty());
            if (logged.inputs().size() != 1) {
                throw new InvalidInputException(
                        "logged request '" + id + "' has " + logged.inputs().size()
                                + " inputs; evaluation from the log needs models with exactly one input");
            }
            examples.add(new LoggedExample(
                    id,
                    chosen,
                    node.path("version").asLong(),
                    logged.inputs().getFirst(),
                    ints(node.path("predicted_class")),
                    ints(labels.path("labels"))));
        });
        return new LoggedTraffic(
                examples, predictions[0], feedback.size(), feedback.size() - joined.size(), skipped[0]);
    }

    private static boolean matches(JsonNode node, String model, OptionalLong version) {
        return model.equals(node.path("model").asText())
                && (version.isEmpty() || node.path("version").asLong() == version.getAsLong());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidInputException(
                    "prediction log directory " + directory + " does not exist or is not a directory");
        }
        try {
            List<Path> files = RotatingFiles.existing(directory);
            if (files.isEmpty()) {
                throw new InvalidInputException("no prediction log files (predictions-*.jsonl) in " + directory
                        + "; start the server with --prediction-log " + directory);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static String onlyModel(Path directory, List<Path> files) {
        TreeSet<String> models = new TreeSet<>();
        forEachLine(
                files,
                null,
                new int[1],
                (line, node) -> models.add(node.path("model").asText()));
        if (models.size() != 1) {
            throw new InvalidInputException("the prediction log in " + directory + " holds "
                    + (models.isEmpty()
                            ? "no records"
                            : "records of models " + models + "; choose one with --log-model"));
        }
        return models.first();
    }

    private interface LineVisitor {
        void visit(byte[] line, JsonNode node);
    }

    private static void forEachLine(List<Path> files, String prefix, int[] skipped, LineVisitor visitor) {
        for (Path file : files) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                while ((text = r.readLine()) != null) {
                    if (text.isBlank() || prefix != null && !text.startsWith(prefix)) {
                        continue;
                    }
                    byte[] line = text.getBytes(StandardCharsets.UTF_8);
                    JsonNode node;
                    try {
                        node = MAPPER.readTree(line);
                    } catch (IOException e) {
                        skipped[0]++;
                        continue;
                    }
                    if (node != null && node.isObject()) {
                        visitor.visit(line, node);
                    } else {
                        skipped[0]++;
                    }
                }
            } catch (java.nio.file.NoSuchFileException rotatedAway) {
                // the server deleted it while we read: its records are gone, not an error
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prediction log file " + file, e);
            }
        }
    }
}
