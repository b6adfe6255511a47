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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ONNX Runtime engine. All engines share the one process-wide {@link OrtEnvironment} (ONNX Runtime
 * allows only one; it lives until the JVM exits, so {@link #close()} does not release it). Thread-safe.
 */
public final class OrtEngine implements InferenceEngine {

    private final OrtEnvironment env;

    public OrtEngine() {
        this.env = environment();
    }

    private static final long INIT_STACK_BYTES = 16L << 20;
    private static OrtEnvironment shared; // guarded by OrtEngine.class

    /**
     * The shared environment, created on first use. ONNX Runtime 1.29's environment creation needs more
     * native stack than a default 1 MiB Java thread has (measured: SIGSEGV, no hs_err, on a 1 MiB thread;
     * fine with 2 MiB), and the first caller may be any thread (a Vert.x worker, the CLI main thread), so it
     * is created on a dedicated thread with a generous stack. (Not a class-holder idiom: the init thread's
     * lambda would wait on the holder's class initialisation, a deadlock.)
     */
    static synchronized OrtEnvironment environment() {
        if (shared == null) {
            shared = createOnBigStack();
        }
        return shared;
    }

    private static OrtEnvironment createOnBigStack() {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread init = new Thread(
                null,
                () -> {
                    try {
                        result.set(OrtEnvironment.getEnvironment());
                    } catch (Throwable t) {
                        result.set(t);
                    }
                },
                "onnxruntime-init",
                INIT_STACK_BYTES);
        init.start();
        boolean interrupted = false;
        while (true) {
            try {
                init.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish initialising; restore the flag afterwards
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (result.get() instanceof OrtEnvironment env) {
            return env;
        }
        Throwable t = (Throwable) result.get();
        throw new InternalException(
                "cannot load ONNX Runtime's native library: " + t
                        + " (on JDK 22+ run java with --enable-native-access=ALL-UNNAMED)",
                t);
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
            o.setOptimizationLevel(
                    switch (options.optimization()) {
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
