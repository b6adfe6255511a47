package dev.pier.api;

import java.util.Arrays;

/**
 * A tensor shape. In a {@link TensorSpec} a dimension of {@code -1} means "any size" (dynamic); in a
 * {@link Tensor} every dimension is concrete. Immutable: the array is copied in and out.
 */
public final class Shape {
    public static final long DYNAMIC = -1;

    private final long[] dims;

    private Shape(long[] dims) {
        this.dims = dims;
    }

    public static Shape of(long... dims) {
        for (long d : dims) {
            if (d < DYNAMIC) {
                throw new IllegalArgumentException(
                        "shape dimension must be >= -1, got " + d + " in " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    public static Shape scalar() {
        return new Shape(new long[0]);
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int axis) {
        return dims[axis];
    }

    public long[] toArray() {
        return dims.clone();
    }

    public boolean isFullyDefined() {
        for (long d : dims) {
            if (d == DYNAMIC) {
                return false;
            }
        }
        return true;
    }

    /** Number of elements; throws for a shape with dynamic dimensions or one that overflows. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            if (d == DYNAMIC) {
                throw new IllegalStateException("element count of a dynamic shape " + this);
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** True when this concrete shape fits a declared one, where the declared {@code -1} matches anything. */
    public boolean fits(Shape declared) {
        if (declared.dims.length != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (declared.dims[i] != DYNAMIC && declared.dims[i] != dims[i]) {
                return false;
            }
        }
        return true;
    }

    /** This shape with its first dimension replaced, used to merge and split batches. */
    public Shape withFirstDim(long first) {
        long[] copy = dims.clone();
        copy[0] = first;
        return new Shape(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
