package dev.pier.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * Which of the versions on disk a model should serve, written as Triton's {@code version_policy}: exactly
 * one of {@code {latest: {num_versions: N}}} (the default, N = 1), {@code {all: {}}} or
 * {@code {specific: {versions: [1, 3]}}}. {@link #aspired} is a pure function, so it is tested alone.
 */
public record VersionPolicy(Latest latest, All all, Specific specific) {

    public record Latest(Integer numVersions) {
        public Latest {
            if (numVersions == null) {
                numVersions = 1;
            }
            if (numVersions < 1) {
                throw new IllegalArgumentException(
                        "'version_policy.latest.num_versions' must be >= 1, got " + numVersions);
            }
        }
    }

    public record All() {}

    public record Specific(List<Long> versions) {
        public Specific {
            if (versions == null || versions.isEmpty()) {
                throw new IllegalArgumentException("'version_policy.specific.versions' must list at least one version");
            }
            for (Long v : versions) {
                if (v == null || v < 1) {
                    throw new IllegalArgumentException(
                            "'version_policy.specific.versions' must hold integers >= 1, got " + versions);
                }
            }
            versions = List.copyOf(versions);
        }
    }

    public VersionPolicy {
        int given = (latest != null ? 1 : 0) + (all != null ? 1 : 0) + (specific != null ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException(
                    "'version_policy' must have exactly one of 'latest', 'all' or 'specific', got " + given);
        }
        if (given == 0) {
            latest = new Latest(1);
        }
    }

    public static VersionPolicy ofLatest(int n) {
        return new VersionPolicy(new Latest(n), null, null);
    }

    public static VersionPolicy ofAll() {
        return new VersionPolicy(null, new All(), null);
    }

    public static VersionPolicy ofSpecific(Long... versions) {
        return new VersionPolicy(null, null, new Specific(List.of(versions)));
    }

    /** The versions to serve, newest first, out of those present on disk. */
    public List<Long> aspired(SortedSet<Long> onDisk) {
        List<Long> newestFirst = new ArrayList<>(onDisk.reversed());
        if (all != null) {
            return List.copyOf(newestFirst);
        }
        if (specific != null) {
            return newestFirst.stream().filter(specific.versions()::contains).toList();
        }
        return List.copyOf(newestFirst.subList(0, Math.min(latest.numVersions(), newestFirst.size())));
    }

    @Override
    public String toString() {
        if (all != null) {
            return "all";
        }
        if (specific != null) {
            return "specific " + specific.versions();
        }
        return "latest " + latest.numVersions();
    }
}
