package dev.pier.runtime;

/**
 * How a session runs.
 *
 * @param intraOpThreads threads for one operator; 0 lets the engine choose. Default 1 because the server
 *                       already runs requests concurrently on a worker pool, and two cores are easily
 *                       oversubscribed.
 * @param interOpThreads threads across independent operators; 0 lets the engine choose
 * @param optimization   graph optimisation level
 */
public record SessionOptions(int intraOpThreads, int interOpThreads, Optimization optimization) {

    public enum Optimization {
        NONE,
        BASIC,
        EXTENDED,
        ALL
    }

    public static SessionOptions defaults() {
        return new SessionOptions(1, 1, Optimization.ALL);
    }

    public SessionOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0");
        }
    }
}
