/**
 * Watching models live: the {@link dev.pier.monitor.MonitoringService} decorator gives every inference a
 * request id and hands each answered request to {@link dev.pier.monitor.InferenceTap}s (prediction log, drift
 * detection), off the protocol threads' critical path. Sub-packages hold each capability.
 */
package dev.pier.monitor;
