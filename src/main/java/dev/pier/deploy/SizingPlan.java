package dev.pier.deploy;

/**
 * The outcome of {@link CapacitySizing}: replica bounds, the HPA's CPU target, and a one-paragraph
 * explanation written into the manifests' {@code pier.dev/sizing} annotation. Immutable.
 *
 * @param replicasAtPeak   replicas the HPA settles on at the stated peak
 * @param minReplicas      HPA floor (and initial Deployment replicas)
 * @param maxReplicas      HPA ceiling, with burst headroom above the peak
 * @param cpuTargetPercent HPA average CPU utilisation target
 * @param reasoning        the arithmetic, in words
 */
public record SizingPlan(
        int replicasAtPeak, int minReplicas, int maxReplicas, int cpuTargetPercent, String reasoning) {}
