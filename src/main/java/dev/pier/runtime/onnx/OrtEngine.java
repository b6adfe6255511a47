package dev.pier.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.pier.api.InternalException;
import dev.pier.api.InvalidInputException;
import dev.pier.runtime.InferenceEngine;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ONNX Runtime engine. All engines share the one process-wide {@link OrtEnvironment} (ONNX Runtime
 * allows only one; it lives until the JVM exits, so {@link #close()} does not release it). Thread-safe.
 */
public final class OrtEngine implements InferenceEngine {

    private final OrtEnvironment env;

    public OrtEngine() {
        this.env = environment();
    }

    /** The shared environment; loads the native library on first use. */
    static OrtEnvironment environment() {
        try {
            return OrtEnvironment.getEnvironment();
        } catch (RuntimeException | LinkageError e) {
            throw new InternalException("cannot load ONNX Runtime's native library: " + e.getMessage()
                    + " (on JDK 22+ run java with --enable-native-access=ALL-UNNAMED)", e);
        }
    }

    /** ONNX Runtime's version, for diagnostics. */
    public String version() {
        return env.getVersion();
    }

    @Override
    public ModelSession load(Path modelFile, SessionOptions options) {
        if (!Files.isRegularFile(modelFile)) {
            throw new InvalidInputException("model file " + modelFile + " does not exist or is not a regular file");
        }
        try (OrtSession.SessionOptions ortOptions = toOrt(options)) {
            OrtSession session = env.createSession(modelFile.toAbsolutePath().toString(), ortOptions);
            try {
                return new OrtModelSession(env, session, modelFile);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw OrtModelSession.translate(e, "cannot load model " + modelFile);
        }
    }

    private static OrtSession.SessionOptions toOrt(SessionOptions options) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setIntraOpNumThreads(options.intraOpThreads());
            o.setInterOpNumThreads(options.interOpThreads());
            o.setOptimizationLevel(switch (options.optimization()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }
}
