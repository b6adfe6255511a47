package dev.pier.serving;

import dev.pier.api.ModelState;

/**
 * Told about every state transition of every model version, in order, from the manager's state lock:
 * keep it quick and do not block (metrics, logs, events). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ModelStateListener {

    void onTransition(Event event);

    /** One transition; {@code error} is empty unless {@code to} is FAILED. */
    record Event(String model, long version, ModelState from, ModelState to, String error) {}

    ModelStateListener NONE = e -> {};
}
