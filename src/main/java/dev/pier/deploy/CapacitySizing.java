package dev.pier.deploy;

import java.util.Locale;

/**
 * Sizes a deployment from a measured per-replica capacity: the requests/s one replica sustains while meeting
 * its p99 latency target (from {@code pier bench} or {@code --capacity-rps}). Pure function, thread-safe.
 *
 * <p>The model: a replica at CPU utilisation {@code u} serves {@code u * capacity} requests/s, because capacity
 * is measured with the replica CPU-bound at its request. The HPA holds utilisation at the target {@code u}, so
 * at peak it runs {@code ceil(peak / (u * capacity))} replicas, and at least enough that the peak stays
 * servable with one replica lost (a disruption or a crash) at 100 % utilisation. The floor is the availability
 * minimum (capped by the peak need); the ceiling adds burst headroom so the HPA can absorb more than the stated
 * peak.
 */
public final class CapacitySizing {

    /**
     * Inputs of the sizing.
     *
     * @param capacityRps       requests/s one replica sustains at its p99 target (> 0)
     * @param peakRps           the peak load to plan for (> 0)
     * @param targetUtilization fraction of capacity to run at, in (0, 1] (default 0.7: room for spikes while the HPA reacts)
     * @param minReplicasFloor  the least replicas for availability (default 2)
     * @param burstHeadroom     extra fraction above the peak the ceiling allows (default 0.5)
     */
    public record Inputs(
            double capacityRps, double peakRps, double targetUtilization, int minReplicasFloor, double burstHeadroom) {
        public Inputs {
            if (!(capacityRps > 0) || Double.isInfinite(capacityRps)) {
                throw new IllegalArgumentException(
                        "--capacity-rps must be a positive number of requests/s, got " + capacityRps);
            }
            if (!(peakRps > 0) || Double.isInfinite(peakRps)) {
                throw new IllegalArgumentException(
                        "--peak-rps must be a positive number of requests/s, got " + peakRps);
            }
            if (!(targetUtilization > 0 && targetUtilization <= 1)) {
                throw new IllegalArgumentException("--target-utilization must be in (0, 1], got " + targetUtilization);
            }
            if (minReplicasFloor < 1) {
                throw new IllegalArgumentException("minimum replicas must be at least 1, got " + minReplicasFloor);
            }
            if (!(burstHeadroom >= 0) || Double.isInfinite(burstHeadroom)) {
                throw new IllegalArgumentException("burst headroom must be >= 0, got " + burstHeadroom);
            }
        }

        public static Inputs of(double capacityRps, double peakRps, double targetUtilization) {
            return new Inputs(capacityRps, peakRps, targetUtilization, 2, 0.5);
        }
    }

    private CapacitySizing() {}

    public static SizingPlan plan(Inputs in) {
        double perReplica = in.capacityRps() * in.targetUtilization();
        int byUtilization = ceil(in.peakRps() / perReplica);
        // N+1: with one replica gone the rest must still serve the peak within their capacity
        int survivesLoss = ceil(in.peakRps() / in.capacityRps()) + 1;
        int atPeak = Math.max(byUtilization, survivesLoss);
        int min = Math.min(in.minReplicasFloor(), atPeak);
        int max = Math.max(atPeak, ceil(in.peakRps() * (1 + in.burstHeadroom()) / perReplica));
        int cpuTarget = Math.max(1, (int) Math.round(in.targetUtilization() * 100));
        String why = String.format(
                Locale.ROOT,
                "capacity %s req/s per replica at the p99 target; HPA holds CPU at %d%% so a replica serves "
                        + "%s req/s; peak %s req/s needs ceil(%s/%s)=%d replicas, and ceil(%s/%s)+1=%d to survive "
                        + "losing one, so %d at peak; min %d; max %d (peak + %d%% burst)",
                num(in.capacityRps()),
                cpuTarget,
                num(perReplica),
                num(in.peakRps()),
                num(in.peakRps()),
                num(perReplica),
                byUtilization,
                num(in.peakRps()),
                num(in.capacityRps()),
                survivesLoss,
                atPeak,
                min,
                max,
                Math.round(in.burstHeadroom() * 100));
        return new SizingPlan(atPeak, min, max, cpuTarget, why);
    }

    /** Ceiling that ignores floating-point dust (10.000000001 is 10). */
    private static int ceil(double x) {
        double r = Math.rint(x);
        double v = Math.abs(x - r) < 1e-9 ? r : Math.ceil(x);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sizing needs more than " + Integer.MAX_VALUE + " replicas");
        }
        return Math.max(1, (int) v);
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
