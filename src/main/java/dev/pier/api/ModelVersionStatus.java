package dev.pier.api;

/** The state of one model version, with the reason when it failed (empty string otherwise). */
public record ModelVersionStatus(String model, long version, ModelState state, String error) {
    public ModelVersionStatus {
        error = error == null ? "" : error;
    }
}
