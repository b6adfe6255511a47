package dev.pier.monitor.drift;

import java.util.Map;

/**
 * One evaluation of a full live window against the reference profile. Immutable.
 *
 * @param rows       live rows seen so far by this version's detector
 * @param psi        PSI per feature, in profile order
 * @param ks         two-sample KS statistic D per feature
 * @param ksPValue   its asymptotic p-value per feature
 * @param classPsi   PSI of the window's predicted-class distribution against the reference one (NaN when the
 *                   window held no predictions)
 * @param detected   whether the detection rule fired
 * @param reason     what fired it ("" when nothing did), e.g. {@code "PSI of mean_intensity 3.41 > 0.2"}
 */
public record DriftReport(
        long rows,
        Map<String, Double> psi,
        Map<String, Double> ks,
        Map<String, Double> ksPValue,
        double classPsi,
        boolean detected,
        String reason) {

    public DriftReport {
        psi = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(psi));
        ks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ks));
        ksPValue = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ksPValue));
    }
}
