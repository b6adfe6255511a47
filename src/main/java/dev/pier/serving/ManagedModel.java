package dev.pier.serving;

import dev.pier.api.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link ModelManager}'s record of one model: its versions and what the source last said about it.
 * Mutable and not thread-safe: every field is guarded by the manager's lock.
 */
final class ManagedModel {
    final String name;
    final TreeMap<Long, Version> versions = new TreeMap<>();
    /** The loaders of the versions the source aspires now, by version. */
    Map<Long, Loader> aspired = Map.of();
    /** The config the source last gave (version labels before any version is loaded), or null. */
    dev.pier.repository.ModelConfig sourceConfig;
    /** Why the source cannot offer this model, or null. */
    String brokenReason;

    ManagedModel(String name) {
        this.name = name;
    }

    /** One version: its state, the reason when FAILED, the loaded model while loaded, and the open handles. */
    static final class Version {
        final long version;
        ModelState state = ModelState.START;
        String error = "";
        Loader loader;
        LoadedModel loaded;
        int handles;
        /** Size and modification time of the model file when this version was first seen (see {@link ModelManager#apply}). */
        String fingerprint = "";
        /** Estimated bytes held while LOADING or AVAILABLE (the model file's size); set when a load starts. */
        long sizeBytes;
        /** {@link System#nanoTime()} of the last acquire, for least-recently-used unloading. */
        long lastUsed;
        /** A request asked for this version while memory is managed on demand: load it even with --lazy-load. */
        boolean demanded;
        /** Why the last demanded load was refused (does not fit the memory budget), or null. */
        String refusal;

        Version(long version) {
            this.version = version;
        }
    }

    /** A one-line summary of the versions' states, for error messages. */
    String describe() {
        List<String> parts = new ArrayList<>();
        versions.descendingMap()
                .values()
                .forEach(v -> parts.add(
                        "version " + v.version + " " + v.state + (v.error.isEmpty() ? "" : " (" + v.error + ")")));
        if (brokenReason != null) {
            parts.add(brokenReason);
        }
        return parts.isEmpty() ? "no versions" : String.join("; ", parts);
    }
}
