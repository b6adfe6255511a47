package dev.pier.train;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine offline. DJL would otherwise try to download native libraries; Pier ships
 * them as the {@code pytorch-native-cpu} jar, so {@code ai.djl.offline=true} is set before the engine
 * loads. Intra-op threads default to 1 ({@code -Dai.djl.pytorch.num_threads=N} overrides). Loading the native library takes a few seconds, once per JVM. Thread-safe.
 */
public final class DjlEngines {
    public static final String ENGINE = "PyTorch";
    /** DJL's property for PyTorch's intra-op thread count; Pier defaults it to 1. */
    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private DjlEngines() {}

    /** The PyTorch engine, started offline on first use. */
    public static synchronized Engine pytorch() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // One intra-op thread unless told otherwise: the small matrices of a batch gain little from more,
        // and OpenMP workers spinning on a busy, shared machine cost more than they give.
        if (System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(THREADS_PROPERTY, "1");
        }
        return Engine.getEngine(ENGINE);
    }

    /** Seeds every random source the engine uses (initialisers, dropout) for reproducible runs. */
    public static void seed(long seed) {
        pytorch().setRandomSeed((int) seed);
    }
}
