package dev.pier.protocol.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pier.api.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one JSON value (a scalar or nested arrays, row-major) into a {@link TensorBuilder} and records
 * the shape the nesting implies. With {@code regular} set, every row at a depth must have the same length
 * (TF Serving infers shapes this way); without it only the element count matters (V2 gives the shape).
 * Not thread-safe; one per tensor. Can be fed several values in turn (one per TF instance): the dims
 * then describe one value and {@link #values()} counts them.
 */
public final class NestedReader {
    private final TensorBuilder builder;
    private final String name;
    private final boolean regular;
    private final List<Long> dims = new ArrayList<>();
    private int leafDepth = -1;
    private int values;

    public NestedReader(TensorBuilder builder, String name, boolean regular) {
        this.builder = builder;
        this.name = name;
        this.regular = regular;
    }

    /** Reads the value at the parser's current token. */
    public void read(JsonParser p) throws IOException {
        read(p, 0);
        values++;
    }

    public int values() {
        return values;
    }

    /** The shape of one value read (empty for a scalar). */
    public long[] dims() {
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i);
        }
        return out;
    }

    private void read(JsonParser p, int depth) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            long n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == null) {
                    throw new InvalidInputException("input '" + name + "': unterminated array");
                }
                read(p, depth + 1);
                n++;
            }
            if (regular) {
                recordDim(depth, n);
                if (n == 0) {
                    recordLeaf(depth + 1);
                }
            }
            return;
        }
        if (t == JsonToken.START_OBJECT && !builder.isLeafObject(t)) {
            throw new InvalidInputException("input '" + name + "' has datatype " + builder.type()
                    + ": expected a value or a nested list, got an object");
        }
        builder.add(p);
        if (regular) {
            recordLeaf(depth);
        }
    }

    private void recordDim(int depth, long n) {
        while (dims.size() <= depth) {
            dims.add(-1L);
        }
        if (dims.get(depth) >= 0) {
            if (dims.get(depth) != n) {
                throw new InvalidInputException("input '" + name + "' is a ragged nested list: dimension " + depth
                        + " has " + dims.get(depth) + " elements in one row and " + n + " in another;"
                        + " every row must have the same length");
            }
        } else {
            dims.set(depth, n);
        }
    }

    private void recordLeaf(int depth) {
        if (leafDepth < 0) {
            leafDepth = depth;
        } else if (leafDepth != depth) {
            throw new InvalidInputException("input '" + name + "' mixes nesting depths: values at depth " + leafDepth
                    + " and at depth " + depth + "; every value must be nested equally deep");
        }
    }
}
