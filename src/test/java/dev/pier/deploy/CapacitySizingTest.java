package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacitySizingTest {

    /** Smallest n with n * perReplica >= load, found by counting rather than by division. */
    private static int smallestCovering(double load, double perReplica) {
        int n = 1;
        while (n * perReplica < load - 1e-9) {
            n++;
        }
        return n;
    }

    @ParameterizedTest
    @CsvSource({"100, 1000, 0.7", "120, 1000, 0.6", "50, 40, 0.5", "1000, 10, 0.9", "33.3, 999, 0.75", "10, 95, 1.0"})
    void replicasCoverThePeakAtTheTargetUtilisationAndSurviveLosingOne(double capacity, double peak, double u) {
        SizingPlan plan = CapacitySizing.plan(CapacitySizing.Inputs.of(capacity, peak, u));
        int byUtilisation = smallestCovering(peak, capacity * u);
        int survivesLoss = smallestCovering(peak, capacity) + 1;
        assertThat(plan.replicasAtPeak()).isEqualTo(Math.max(byUtilisation, survivesLoss));
        // with one replica gone the rest are at or below 100 % of capacity
        assertThat((plan.replicasAtPeak() - 1) * capacity).isGreaterThanOrEqualTo(peak - 1e-9);
        assertThat(plan.maxReplicas())
                .isGreaterThanOrEqualTo(plan.replicasAtPeak())
                .isEqualTo(Math.max(plan.replicasAtPeak(), smallestCovering(peak * 1.5, capacity * u)));
        assertThat(plan.minReplicas()).isEqualTo(Math.min(2, plan.replicasAtPeak()));
        assertThat(plan.cpuTargetPercent()).isEqualTo((int) Math.round(u * 100));
        assertThat(plan.reasoning()).contains("peak").contains(String.valueOf(plan.replicasAtPeak()));
    }

    @Test
    void exactMultiplesDoNotGainAReplicaFromRoundingDust() {
        // 0.7 * 100 is 70.00000000000001 in binary floating point; 700 / 70 must stay 10
        SizingPlan plan = CapacitySizing.plan(CapacitySizing.Inputs.of(100, 700, 0.7));
        assertThat(plan.replicasAtPeak()).isEqualTo(10);
    }

    @Test
    void invalidInputsNameTheOptionAndValue() {
        assertThatThrownBy(() -> CapacitySizing.Inputs.of(0, 10, 0.7))
                .hasMessageContaining("--capacity-rps")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> CapacitySizing.Inputs.of(10, -1, 0.7)).hasMessageContaining("--peak-rps");
        assertThatThrownBy(() -> CapacitySizing.Inputs.of(10, 10, 1.5))
                .hasMessageContaining("--target-utilization")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> CapacitySizing.Inputs.of(Double.NaN, 10, 0.5)).hasMessageContaining("NaN");
    }
}
