package dev.pier.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the state of a stuck rollout's pods and events into one readable sentence: image pull errors, crash
 * loops, failing probes, unschedulable pods. Pure function over fabric8 model objects.
 */
public final class RolloutDiagnosis {

    private static final Set<String> PULL =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

    private RolloutDiagnosis() {}

    public static String explain(List<Pod> pods, List<Event> events) {
        Set<String> reasons = new LinkedHashSet<>();
        Set<String> podNames = new LinkedHashSet<>();
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            podNames.add(name);
            if (pod.getStatus() == null) {
                continue;
            }
            if (pod.getStatus().getContainerStatuses() != null) {
                for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
                    var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
                    if (waiting != null && waiting.getReason() != null) {
                        String kind = PULL.contains(waiting.getReason())
                                ? "image pull failed"
                                : waiting.getReason().equals("CrashLoopBackOff")
                                        ? "container keeps crashing"
                                        : "container waiting";
                        reasons.add(kind + " (" + waiting.getReason() + ") in pod " + name
                                + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
                    } else if (Boolean.FALSE.equals(cs.getReady())
                            && cs.getState() != null
                            && cs.getState().getRunning() != null) {
                        reasons.add("pod " + name + " runs but is not ready (readiness probe on "
                                + PierEndpoints.READY_PATH + " failing)");
                    }
                }
            }
            if (pod.getStatus().getConditions() != null) {
                pod.getStatus().getConditions().stream()
                        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                        .forEach(c -> reasons.add("pod " + name + " cannot be scheduled: " + c.getMessage()));
            }
        }
        for (Event e : events) {
            var obj = e.getInvolvedObject();
            if (obj != null
                    && podNames.contains(obj.getName())
                    && "Warning".equals(e.getType())
                    && ("Unhealthy".equals(e.getReason())
                            || "Failed".equals(e.getReason())
                            || "BackOff".equals(e.getReason()))) {
                reasons.add(e.getReason() + " on pod " + obj.getName() + ": " + e.getMessage());
            }
        }
        if (pods.isEmpty()) {
            return "no pods were created (check the ReplicaSet's events: quota, admission or security policies)";
        }
        return reasons.isEmpty()
                ? "pods exist but are not available yet (" + podNames.size() + " pods)"
                : String.join("; ", reasons);
    }
}
