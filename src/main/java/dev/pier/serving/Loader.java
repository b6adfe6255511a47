package dev.pier.serving;

import java.util.Optional;
import java.util.Set;

/**
 * Loads and unloads one model version (TF Serving's Loader): cheap to construct, {@link #load()} does the slow
 * work. The {@link ModelManager} only calls these three methods, from one thread at a time per loader, so it can
 * be tested with a fake one; {@link ModelLoader} is the real, ONNX Runtime one.
 */
public interface Loader {

    /** Loads (and warms up) the version; throws with a message saying what went wrong, leaving nothing open. */
    LoadedModel load();

    /** Frees what the last {@link #load()} created; harmless when nothing is loaded. */
    void unload();

    /** Bytes this version is expected to hold once loaded, for the memory budget; 0 when unknown. */
    long estimatedBytes();

    /**
     * True when {@link #load()} waits for other models to finish loading (an ensemble checks its graph against
     * the models it composes). The manager runs such loads on their own threads, so they never hold a load thread
     * the models they wait for need.
     */
    default boolean waitsForOtherModels() {
        return false;
    }

    /** The other models a loaded version depends on (an ensemble's composing models); empty for a plain model. */
    default Set<String> dependsOn() {
        return Set.of();
    }

    /**
     * Checks a loaded version again against what the models it {@link #dependsOn} serve now (one of them rolled to a
     * new version): empty when it still fits or cannot tell yet, else why not, naming what no longer fits. Called
     * by the manager outside its lock, after a model this one depends on changed; must not wait for loads.
     */
    default Optional<String> recheck() {
        return Optional.empty();
    }
}
