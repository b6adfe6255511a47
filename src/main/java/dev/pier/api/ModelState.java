package dev.pier.api;

/**
 * Lifecycle of one model version, in the order TF Serving reports them. {@code FAILED} is an {@code END}
 * state that carries an error, as TF Serving reports a load failure in its status.
 */
public enum ModelState {
    START,
    LOADING,
    AVAILABLE,
    UNLOADING,
    END,
    FAILED;

    /** TF Serving's wire name for the state (FAILED is END with an error status there). */
    public String tfServingName() {
        return this == FAILED ? "END" : name();
    }
}
