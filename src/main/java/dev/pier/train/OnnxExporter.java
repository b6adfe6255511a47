package dev.pier.train;

import java.io.IOException;
import java.nio.file.Path;

/** Placeholder until Pier's ONNX builder lands. */
public final class OnnxExporter {
    private OnnxExporter() {
    }

    public static void export(DjlNetwork net, Path output) throws IOException {
        throw new UnsupportedOperationException("ONNX export not yet available");
    }
}
