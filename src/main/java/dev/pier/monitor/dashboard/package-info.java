/**
 * The live dashboard of {@code pier serve} at {@code /dashboard}: a {@link dev.pier.monitor.dashboard.DashboardSampler}
 * reads the server's Micrometer registry and model states once a second and turns the cumulative series into
 * per-interval figures ({@link dev.pier.monitor.dashboard.SnapshotMath}); {@link dev.pier.monitor.dashboard.DashboardRoutes}
 * serves the page, its bundled assets (uPlot from the {@code org.webjars.npm:uplot} WebJar, nothing from the
 * internet), the history as JSON and a server-sent-event stream.
 */
package dev.pier.monitor.dashboard;
