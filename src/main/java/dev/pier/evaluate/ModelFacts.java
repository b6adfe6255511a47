package dev.pier.evaluate;

import com.google.protobuf.CodedInputStream;
import dev.pier.api.InvalidInputException;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.SparseTensorProto;
import dev.pier.onnx.proto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about a model file that need no session: how many parameters it stores, read with the ONNX protobuf
 * schema of {@code dev.pier.onnx}. Thread-safe.
 */
final class ModelFacts {

    private ModelFacts() {}

    /**
     * Number of parameters: the elements of every initializer of the main graph (dense and sparse, counted
     * by their declared dims, so weights kept as external data count too). Constants computed by nodes are
     * not parameters and are left out, as frameworks' parameter counts do.
     */
    static long parameterCount(Path model) {
        ModelProto proto;
        try (InputStream in = Files.newInputStream(model)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            proto = ModelProto.parseFrom(coded);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + model + " as an ONNX model: " + e.getMessage(), e);
        }
        long n = 0;
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            n += elements(t);
        }
        for (SparseTensorProto s : proto.getGraph().getSparseInitializerList()) {
            long e = 1;
            for (long d : s.getDimsList()) {
                e = Math.multiplyExact(e, d);
            }
            n += e;
        }
        return n;
    }

    private static long elements(TensorProto t) {
        long e = 1;
        for (long d : t.getDimsList()) {
            e = Math.multiplyExact(e, d);
        }
        return e;
    }
}
