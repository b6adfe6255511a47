package dev.pier.onnx;

/** Element-wise activation after a layer, with its ONNX operator ({@code null} for none). */
public enum Activation {
    NONE(null),
    RELU("Relu"),
    TANH("Tanh"),
    SIGMOID("Sigmoid"),
    SOFTMAX("Softmax");

    private final String opType;

    Activation(String opType) {
        this.opType = opType;
    }

    /** The ONNX op type, or null for {@link #NONE}. */
    public String opType() {
        return opType;
    }

    /** Parses a name such as {@code "relu"}, case-insensitively; {@code "linear"} and {@code "identity"} mean NONE. */
    public static Activation parse(String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        if (n.equals("LINEAR") || n.equals("IDENTITY") || n.isEmpty()) {
            return NONE;
        }
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown activation '" + name + "'; expected one of none, relu, tanh, sigmoid, softmax");
        }
    }
}
