package dev.pier.onnx;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import java.util.List;

/**
 * A graph input or output as declared in the file.
 *
 * @param elementType the ONNX element type name (e.g. {@code FLOAT}), or a description of a non-tensor type
 *                    such as {@code sequence(tensor(FLOAT))}
 * @param datatype    the V2 datatype, or null when V2 has none (non-tensor or exotic types)
 * @param dims        each dimension as written: a number, a symbolic name such as {@code batch}, or {@code ?}
 * @param shape       the same with {@code -1} for every dynamic (symbolic or unknown) dimension; null when the
 *                    file declares no shape (rank unknown)
 */
public record OnnxValueInfo(String name, String elementType, DataType datatype, List<String> dims, Shape shape) {
    public OnnxValueInfo {
        dims = dims == null ? null : List.copyOf(dims);
    }
}
