package dev.pier.pipeline;

import java.util.List;
import java.util.Map;

/** The candidate failed one or more gates: nothing is published. Carries the verdicts for the run record. */
public final class GateFailure extends RuntimeException {
    private final transient Map<String, Object> result;

    GateFailure(List<GateResult> failed, Map<String, Object> result) {
        super("gate" + (failed.size() > 1 ? "s" : "") + " failed, nothing published: "
                + String.join("; ", failed.stream().map(GateResult::message).toList()));
        this.result = result;
    }

    /** Re-thrown at the end of a run, with the message already made. */
    GateFailure(List<GateResult> failed, Map<String, Object> result, String message) {
        super(message);
        this.result = result;
    }

    Map<String, Object> result() {
        return result;
    }
}
