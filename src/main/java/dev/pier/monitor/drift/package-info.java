/**
 * Drift detection in the server: {@link dev.pier.monitor.drift.DriftMonitor} (an
 * {@link dev.pier.monitor.InferenceTap}) compares sliding windows of live traffic of each model version with
 * the version's reference profile ({@link dev.pier.profile}) and exports the scores as Prometheus
 * metrics; {@link dev.pier.monitor.drift.DriftStatistics} holds the plain statistics (PSI, two-sample KS).
 */
package dev.pier.monitor.drift;
