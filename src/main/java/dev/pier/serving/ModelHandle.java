package dev.pier.serving;

import dev.pier.api.ModelSignature;
import dev.pier.batching.ScheduledSession;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A short-lived claim on one AVAILABLE model version: while any handle is open the version is not
 * unloaded (an unload waits for the last one to close). Close it as soon as the response is built, in a
 * try-with-resources. Closing twice is harmless. Thread-safe.
 */
public final class ModelHandle implements AutoCloseable {
    private final LoadedModel loaded;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelHandle(LoadedModel loaded, Runnable release) {
        this.loaded = loaded;
        this.release = release;
    }

    public String model() {
        return loaded.model();
    }

    public long version() {
        return loaded.version();
    }

    public ScheduledSession session() {
        if (closed.get()) {
            throw new IllegalStateException("handle of model '" + model() + "' version " + version() + " is closed");
        }
        return loaded.session();
    }

    public ModelSignature signature() {
        return loaded.signature();
    }

    public LoadedModel loaded() {
        return loaded;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }
}
