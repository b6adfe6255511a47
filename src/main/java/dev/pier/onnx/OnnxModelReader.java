package dev.pier.onnx;

import com.google.protobuf.CodedInputStream;
import dev.pier.api.InvalidInputException;
import dev.pier.onnx.proto.ModelProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads {@code .onnx} files written by any tool (PyTorch exporter, onnx python, Pier), with sparse initializers
 * made dense ({@link SparseStorage#densify}). A missing file, a file
 * that is not a protobuf ModelProto, or one without a graph is an {@link InvalidInputException} naming the
 * path. Stateless and thread-safe.
 */
public final class OnnxModelReader {
    /** Protobuf's default nesting limit (100) is too low for deeply nested subgraphs (If/Loop bodies). */
    private static final int RECURSION_LIMIT = 1000;

    private OnnxModelReader() {}

    public static OnnxModel read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("model file " + file + " does not exist");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new InvalidInputException("model file " + file + " is a directory, expected an .onnx file");
            }
            throw new UncheckedIOException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        return new OnnxModel(file, bytes.length, parse(bytes, file.toString()));
    }

    /** Parses model bytes; {@code source} names them in errors. */
    public static ModelProto parse(byte[] bytes, String source) {
        ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(RECURSION_LIMIT);
            in.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(in);
        } catch (IOException e) { // InvalidProtocolBufferException: byte-array input has no other I/O failure
            throw new InvalidInputException(
                    source + " is not a valid ONNX model (protobuf ModelProto expected): " + e.getMessage(), e);
        }
        // Protobuf parses many non-model byte strings as a message of unknown fields; demand the essentials.
        if (!model.hasGraph() || model.getIrVersion() <= 0) {
            throw new InvalidInputException(source + " is not a valid ONNX model: expected a ModelProto with"
                    + " ir_version and a graph, found " + (model.hasGraph() ? "no ir_version" : "no graph"));
        }
        // sparse initializers (pruned weights stored compactly) become dense here, so nothing else handles both
        return SparseStorage.densify(model);
    }

    /** Reads and summarises in one call. */
    public static OnnxModelSummary summarize(Path file) {
        return read(file).summary();
    }
}
