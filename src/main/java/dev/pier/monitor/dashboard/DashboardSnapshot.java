package dev.pier.monitor.dashboard;

import java.util.List;

/**
 * Every model version at the end of one sampling interval: one event of the dashboard's stream. Immutable.
 *
 * @param time            end of the interval, milliseconds since the epoch
 * @param intervalSeconds length of the interval the rates are computed over
 * @param models          one entry per model version the server knows, sorted by model then newest version first
 */
public record DashboardSnapshot(long time, double intervalSeconds, List<VersionSnapshot> models) {
    public DashboardSnapshot {
        models = List.copyOf(models);
    }
}
