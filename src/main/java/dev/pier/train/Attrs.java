package dev.pier.train;

import dev.pier.api.InvalidInputException;
import dev.pier.onnx.proto.AttributeProto;
import dev.pier.onnx.proto.NodeProto;

/** Typed access to one ONNX node's attributes, with the spec's defaults. Immutable view. */
final class Attrs {
    private final NodeProto node;
    private final String model;

    Attrs(NodeProto node, String model) {
        this.node = node;
        this.model = model;
    }

    private AttributeProto get(String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    long i(String name, long fallback) {
        AttributeProto a = get(name);
        return a == null ? fallback : a.getI();
    }

    float f(String name, float fallback) {
        AttributeProto a = get(name);
        return a == null ? fallback : a.getF();
    }

    int[] ints(String name) {
        AttributeProto a = get(name);
        if (a == null) {
            throw new InvalidInputException(model + ": node '" + node.getName() + "' (" + node.getOpType()
                    + ") lacks the required attribute '" + name + "'");
        }
        return a.getIntsList().stream().mapToInt(Long::intValue).toArray();
    }

    /** True when the attribute is absent or all its values equal {@code value}. */
    boolean uniform(String name, long value) {
        AttributeProto a = get(name);
        return a == null || a.getIntsList().stream().allMatch(v -> v == value);
    }

    /** True when the attribute is absent or all its values are equal. */
    boolean uniformOrMissing(String name) {
        AttributeProto a = get(name);
        return a == null || a.getIntsList().stream().distinct().count() <= 1;
    }

    int first(String name, int fallback) {
        AttributeProto a = get(name);
        return a == null || a.getIntsCount() == 0 ? fallback : (int) a.getInts(0);
    }
}
