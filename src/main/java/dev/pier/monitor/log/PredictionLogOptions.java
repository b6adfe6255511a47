package dev.pier.monitor.log;

import java.nio.file.Path;

/**
 * How the prediction log samples and where it writes. Immutable.
 *
 * @param directory     where {@code predictions-<time>-<seq>.jsonl} files go (created if absent)
 * @param sampleRate    share of requests logged, in [0, 1]; default 1.0 (all). Chosen by a hash of the
 *                      request id, so every replica logs the same requests and a client can tell which
 * @param maxFileBytes  a file is closed and a new one started before it would exceed this; default 64 MiB.
 *                      A single record larger than this is dropped (counted), so the bound holds
 * @param maxFiles      files kept; the oldest is deleted before a new one starts, so the log never takes more
 *                      than {@code maxFiles × maxFileBytes} on disk; default 10
 * @param queueCapacity records waiting for the writer; beyond it records are dropped (counted), never
 *                      waited for; default 4096
 */
public record PredictionLogOptions(
        Path directory, double sampleRate, long maxFileBytes, int maxFiles, int queueCapacity) {
    public static final double DEFAULT_SAMPLE_RATE = 1.0;
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_FILES = 10;
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;

    public PredictionLogOptions {
        if (directory == null) {
            throw new IllegalArgumentException("the prediction log needs a directory (--prediction-log DIR)");
        }
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("--prediction-log-sample-rate must be in [0, 1], got " + sampleRate);
        }
        if (maxFileBytes < 1024) {
            throw new IllegalArgumentException(
                    "--prediction-log-max-file-bytes must be at least 1024, got " + maxFileBytes);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("--prediction-log-max-files must be at least 1, got " + maxFiles);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException(
                    "the prediction log queue must hold at least 1 record, got " + queueCapacity);
        }
    }

    public static PredictionLogOptions defaults(Path directory) {
        return new PredictionLogOptions(
                directory, DEFAULT_SAMPLE_RATE, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, DEFAULT_QUEUE_CAPACITY);
    }

    /** Bytes the log may hold on disk at most. */
    public long maxTotalBytes() {
        return maxFileBytes * maxFiles;
    }
}
