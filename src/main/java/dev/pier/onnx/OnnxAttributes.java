package dev.pier.onnx;

import com.google.protobuf.ByteString;
import dev.pier.onnx.proto.AttributeProto;
import dev.pier.onnx.proto.TensorProto;
import java.nio.charset.StandardCharsets;

/** Factories for node attributes ({@code OnnxAttributes.of("axis", 1)}). Stateless and thread-safe. */
public final class OnnxAttributes {
    private OnnxAttributes() {}

    public static AttributeProto of(String name, long value) {
        return base(name, AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto of(String name, float value) {
        return base(name, AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto of(String name, String value) {
        return base(name, AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
                .build();
    }

    public static AttributeProto of(String name, long... values) {
        AttributeProto.Builder b = base(name, AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static AttributeProto ofInts(String name, int... values) {
        AttributeProto.Builder b = base(name, AttributeProto.AttributeType.INTS);
        for (int v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static AttributeProto of(String name, float... values) {
        AttributeProto.Builder b = base(name, AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            b.addFloats(v);
        }
        return b.build();
    }

    public static AttributeProto of(String name, String... values) {
        AttributeProto.Builder b = base(name, AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            b.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8));
        }
        return b.build();
    }

    public static AttributeProto of(String name, TensorProto value) {
        return base(name, AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    private static AttributeProto.Builder base(String name, AttributeProto.AttributeType type) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("attribute name must not be empty");
        }
        return AttributeProto.newBuilder().setName(name).setType(type);
    }
}
