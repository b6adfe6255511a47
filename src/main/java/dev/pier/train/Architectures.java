package dev.pier.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pier.train.LayerSpec.Activation;
import dev.pier.train.LayerSpec.ActivationKind;
import dev.pier.train.LayerSpec.Conv2d;
import dev.pier.train.LayerSpec.Dense;
import dev.pier.train.LayerSpec.Flatten;
import dev.pier.train.LayerSpec.Pool;
import dev.pier.train.LayerSpec.PoolKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an architecture spec into an {@link Architecture}. Specs: {@code mlp:128}, {@code mlp:300,100}
 * (hidden sizes, ReLU between), {@code lenet5} (LeCun 1998 as usually rebuilt: conv 6@5x5 pad 2, ReLU,
 * max pool 2, conv 16@5x5, ReLU, max pool 2, 120, 84), {@code lenet5-caffe} (Caffe's 20-50-500 variant),
 * or the path of a YAML file:
 * <pre>
 * layers:
 *   - conv2d: {filters: 8, kernel: 3, padding: 1}
 *   - relu
 *   - maxpool: {kernel: 2}
 *   - flatten
 *   - dense: 64
 *   - dropout: 0.25
 *   - dense: 10
 * </pre>
 * Layer names: dense, conv2d, maxpool, avgpool, batchnorm, dropout, flatten, relu, tanh, sigmoid, softmax.
 * Built-in specs end with a dense layer of {@code numClasses}; a YAML file states its last layer itself,
 * and a trailing softmax there is dropped (it is added back at export). Stateless.
 */
public final class Architectures {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Architectures() {}

    public static Architecture parse(String spec, int numClasses) throws IOException {
        if (spec.startsWith("mlp:")) {
            return mlp(spec, numClasses);
        }
        return switch (spec) {
            case "lenet5" -> lenet(spec, 6, 2, 16, List.of(120, 84), numClasses);
            case "lenet5-caffe" -> lenet(spec, 20, 0, 50, List.of(500), numClasses);
            default -> {
                if (spec.endsWith(".yaml") || spec.endsWith(".yml") || Files.isRegularFile(Path.of(spec))) {
                    yield fromYaml(Path.of(spec));
                }
                throw new IllegalArgumentException(
                        "unknown architecture '" + spec
                                + "': expected mlp:<sizes> (e.g. mlp:128 or mlp:300,100), lenet5, lenet5-caffe or a .yaml file");
            }
        };
    }

    private static Architecture mlp(String spec, int numClasses) {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new Flatten());
        for (String size : spec.substring(4).split(",")) {
            int units;
            try {
                units = Integer.parseInt(size.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad architecture '" + spec + "': hidden size '" + size
                        + "' is not a number; expected e.g. mlp:128 or mlp:300,100");
            }
            layers.add(new Dense(units));
            layers.add(new Activation(ActivationKind.RELU));
        }
        layers.add(new Dense(numClasses));
        return new Architecture(spec, layers);
    }

    private static Architecture lenet(String spec, int c1, int pad1, int c2, List<Integer> hidden, int numClasses) {
        List<LayerSpec> layers = new ArrayList<>(List.of(
                new Conv2d(c1, 5, 1, pad1),
                new Activation(ActivationKind.RELU),
                new Pool(PoolKind.MAX, 2, 2, 0),
                new Conv2d(c2, 5, 1, 0),
                new Activation(ActivationKind.RELU),
                new Pool(PoolKind.MAX, 2, 2, 0),
                new Flatten()));
        for (int units : hidden) {
            layers.add(new Dense(units));
            layers.add(new Activation(ActivationKind.RELU));
        }
        layers.add(new Dense(numClasses));
        return new Architecture(spec, layers);
    }

    /** Reads a YAML layer list (see the class comment). */
    public static Architecture fromYaml(Path file) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        JsonNode list = root == null ? null : root.get("layers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(file + ": expected a non-empty 'layers:' list");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                layers.add(layer(list.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": layer " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (layers.getLast() instanceof Activation a && a.kind() == ActivationKind.SOFTMAX) {
            layers.removeLast();
        }
        return new Architecture(file.getFileName().toString(), layers);
    }

    private static LayerSpec layer(JsonNode node) {
        String type;
        JsonNode args;
        if (node.isTextual()) {
            type = node.asText();
            args = null;
        } else if (node.isObject() && node.size() == 1) {
            Map.Entry<String, JsonNode> e = node.properties().iterator().next();
            type = e.getKey();
            args = e.getValue();
        } else {
            throw new IllegalArgumentException("expected a layer name or a one-key map like 'dense: 128', got " + node);
        }
        return switch (type.toLowerCase().replace("_", "")) {
            case "dense", "linear" -> new Dense(intArg(args, "units", -1));
            case "conv2d", "conv" ->
                new Conv2d(
                        intArg(args, "filters", -1),
                        intArg(args, "kernel", -1),
                        intArg(args, "stride", 1),
                        intArg(args, "padding", 0));
            case "maxpool", "maxpool2d" -> pool(PoolKind.MAX, args);
            case "avgpool", "avgpool2d" -> pool(PoolKind.AVG, args);
            case "batchnorm" ->
                new LayerSpec.BatchNorm((float) doubleArg(args, "epsilon", LayerSpec.BatchNorm.DEFAULT_EPSILON), (float)
                        doubleArg(args, "momentum", LayerSpec.BatchNorm.DEFAULT_MOMENTUM));
            case "dropout" -> new LayerSpec.Dropout((float) doubleArg(args, "rate", 0.5));
            case "flatten" -> new Flatten();
            case "relu" -> new Activation(ActivationKind.RELU);
            case "tanh" -> new Activation(ActivationKind.TANH);
            case "sigmoid" -> new Activation(ActivationKind.SIGMOID);
            case "softmax" -> new Activation(ActivationKind.SOFTMAX);
            default ->
                throw new IllegalArgumentException(
                        "unknown layer type '" + type
                                + "'; expected dense, conv2d, maxpool, avgpool, batchnorm, dropout, flatten, relu, tanh, sigmoid or softmax");
        };
    }

    private static Pool pool(PoolKind kind, JsonNode args) {
        int kernel = intArg(args, "kernel", 2);
        return new Pool(kind, kernel, intArg(args, "stride", kernel), intArg(args, "padding", 0));
    }

    /** A scalar argument ({@code dense: 128}) or a named one ({@code dense: {units: 128}}). */
    private static int intArg(JsonNode args, String name, int fallback) {
        JsonNode v = args == null ? null : args.isValueNode() ? (isMain(name) ? args : null) : args.get(name);
        if (v == null || v.isNull()) {
            if (fallback < 0) {
                throw new IllegalArgumentException("missing '" + name + "'");
            }
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + name + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static double doubleArg(JsonNode args, String name, double fallback) {
        JsonNode v = args == null ? null : args.isValueNode() ? args : args.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("'" + name + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static boolean isMain(String name) {
        return name.equals("units") || name.equals("kernel");
    }
}
