package dev.pier.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.InferRequest;
import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.kserve.V2Codec;
import dev.pier.protocol.tfserving.TfPredictDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the user's input into a {@link PreparedInput}. The model's metadata is fetched (through
 * {@code metadata}) only when the input alone cannot say which input it feeds or with which datatype: images,
 * .npy files without {@code --input-name}, bare arrays, and TF Serving bodies sent over V2. Stateless.
 */
final class InputLoader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InputLoader() {}

    static PreparedInput load(PredictOptions o, Supplier<RemoteModel> metadata) {
        if (!o.images().isEmpty()) {
            TensorSpec spec = input(o, metadata.get());
            return tensors(o, List.of(ImageInputs.read(o.images(), spec, o.invert())));
        }
        Path file = o.inputFile();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("input file " + file + " does not exist or is not a file");
        }
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            String name = o.inputName() != null
                    ? o.inputName()
                    : input(o, metadata.get()).name();
            return tensors(o, List.of(NpyReader.read(file, name)));
        }
        return json(o, readText(file), metadata);
    }

    private static PreparedInput json(PredictOptions o, String text, Supplier<RemoteModel> metadata) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    o.inputFile() + " is neither a .npy file nor valid JSON: " + e.getOriginalMessage());
        }
        boolean tf = o.protocol() == PredictOptions.Protocol.TFSERVING;
        if (root != null && root.isArray()) {
            // a bare tensor: columnar TF body for the named (or only) input, full shape as nested
            String body = o.inputName() != null || !tf
                    ? "{\"inputs\":{" + MAPPER.valueToTree(name(o, metadata)) + ":" + text + "}}"
                    : "{\"inputs\":" + text + "}";
            return tf
                    ? PreparedInput.tfJson(body)
                    : fromTf(o, body, metadata.get().signature());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(o.inputFile() + ": expected a V2 body {\"inputs\": [...]}, a TF Serving"
                    + " body {\"instances\": ...} or {\"inputs\": ...}, or a nested array; got "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        boolean v2Body = root.path("inputs").isArray()
                && !root.path("inputs").isEmpty()
                && root.path("inputs").get(0).isObject()
                && root.path("inputs").get(0).has("datatype");
        if (v2Body) {
            InferRequest r = V2Codec.decodeRequest(text.getBytes(StandardCharsets.UTF_8), -1, o.model(), o.version());
            return PreparedInput.tensors(r);
        }
        if (!root.has("instances") && !root.has("inputs")) {
            throw new IllegalArgumentException(
                    o.inputFile() + ": JSON object has neither 'inputs' nor 'instances'; "
                            + "expected a V2 body {\"inputs\": [{\"name\",\"datatype\",\"shape\",\"data\"}]} or a TF Serving body");
        }
        return tf ? PreparedInput.tfJson(text) : fromTf(o, text, metadata.get().signature());
    }

    private static String name(PredictOptions o, Supplier<RemoteModel> metadata) {
        return o.inputName() != null ? o.inputName() : input(o, metadata.get()).name();
    }

    private static PreparedInput fromTf(PredictOptions o, String body, ModelSignature signature) {
        TfPredictDecoder.Decoded d =
                TfPredictDecoder.decode(body.getBytes(StandardCharsets.UTF_8), signature, o.model(), o.version());
        return PreparedInput.tensors(d.request());
    }

    private static PreparedInput tensors(PredictOptions o, List<Tensor> inputs) {
        return PreparedInput.tensors(new InferRequest(null, o.model(), o.version(), inputs, List.of(), Map.of()));
    }

    /** The declared input to feed: the named one, or the model's only one. */
    static TensorSpec input(PredictOptions o, RemoteModel model) {
        List<TensorSpec> inputs = model.signature().inputs();
        if (o.inputName() != null) {
            return model.signature()
                    .input(o.inputName())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "model '" + o.model() + "' has no input '" + o.inputName() + "'; its inputs are "
                                    + inputs.stream().map(TensorSpec::name).toList()));
        }
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("model '" + o.model() + "' has " + inputs.size() + " inputs "
                    + inputs.stream().map(TensorSpec::name).toList() + "; name the one to feed with --input-name");
        }
        return inputs.getFirst();
    }

    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("input file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
