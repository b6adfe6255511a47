package dev.pier.serving;

import dev.pier.api.ModelState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to do next with the versions of one model, as a pure function of a snapshot of their states,
 * so it is tested without threads or clocks. Availability-preserving, as TF Serving's default policy: a new
 * version is loaded before an old one is unloaded, so a model that served keeps serving during a rollout,
 * and keeps its old version when every new one fails to load.
 *
 * <ul>
 *   <li>aspired and START or END: load it (all such versions at once; the manager bounds the parallelism);</li>
 *   <li>aspired and FAILED: nothing; the failure stays visible until the version is no longer aspired;</li>
 *   <li>not aspired and AVAILABLE: unload it, unless no aspired version is AVAILABLE yet while some are
 *       aspired: then the newest such version keeps serving (the others still go);</li>
 *   <li>not aspired and START, END or FAILED: forget it;</li>
 *   <li>LOADING and UNLOADING versions are left alone until their transition ends.</li>
 * </ul>
 */
public final class AvailabilityPreservingPolicy {

    /** One version in a snapshot. */
    public record VersionState(long version, ModelState state, boolean aspired) {}

    /** What the manager should do to one version. */
    public enum Kind {
        LOAD,
        UNLOAD,
        FORGET
    }

    public record Action(Kind kind, long version) {}

    private AvailabilityPreservingPolicy() {}

    /** The actions to take now; empty when the model is settled or waiting for transitions in flight. */
    public static List<Action> next(List<VersionState> snapshot) {
        boolean anyAspired = snapshot.stream().anyMatch(VersionState::aspired);
        boolean aspiredAvailable = snapshot.stream().anyMatch(v -> v.aspired() && v.state() == ModelState.AVAILABLE);
        Optional<Long> keep = Optional.empty();
        if (anyAspired && !aspiredAvailable) {
            keep = snapshot.stream()
                    .filter(v -> !v.aspired() && v.state() == ModelState.AVAILABLE)
                    .map(VersionState::version)
                    .max(Comparator.naturalOrder());
        }
        List<Action> actions = new ArrayList<>();
        for (VersionState v : snapshot) {
            if (v.aspired()) {
                if (v.state() == ModelState.START || v.state() == ModelState.END) {
                    actions.add(new Action(Kind.LOAD, v.version()));
                }
            } else {
                switch (v.state()) {
                    case AVAILABLE -> {
                        if (keep.isEmpty() || keep.get() != v.version()) {
                            actions.add(new Action(Kind.UNLOAD, v.version()));
                        }
                    }
                    case START, END, FAILED -> actions.add(new Action(Kind.FORGET, v.version()));
                    case LOADING, UNLOADING -> {
                        // wait for the transition in flight to end
                    }
                }
            }
        }
        return List.copyOf(actions);
    }
}
