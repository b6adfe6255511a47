package dev.pier.train;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine offline. DJL would otherwise try to download native libraries; Pier ships
 * them as the {@code pytorch-native-cpu} jar, so {@code ai.djl.offline=true} is set before the engine
 * loads. Loading the native library takes a few seconds, once per JVM. Thread-safe.
 */
public final class DjlEngines {
    public static final String ENGINE = "PyTorch";

    private DjlEngines() {
    }

    /** The PyTorch engine, started offline on first use. */
    public static synchronized Engine pytorch() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine(ENGINE);
    }

    /** Seeds every random source the engine uses (initialisers, dropout) for reproducible runs. */
    public static void seed(long seed) {
        pytorch().setRandomSeed((int) seed);
    }
}
