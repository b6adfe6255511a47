package dev.pier.server;

import java.util.concurrent.TimeUnit;

/**
 * The shutdown state of one server and the count of requests it has accepted and not yet answered.
 * Phases only move forward: SERVING → DRAINING (not ready, still serving) → REFUSING (new requests get a
 * clean 503 / gRPC UNAVAILABLE) → CLOSED. Thread-safe.
 */
public final class Drain {
    /** Where the server is in its shutdown. */
    public enum Phase {
        SERVING,
        DRAINING,
        REFUSING,
        CLOSED
    }

    private final Object lock = new Object();
    private Phase phase = Phase.SERVING;
    private int inFlight;

    public Phase phase() {
        synchronized (lock) {
            return phase;
        }
    }

    /** Moves to {@code next} if it is later than the current phase; never backwards. */
    public void advance(Phase next) {
        synchronized (lock) {
            if (next.compareTo(phase) > 0) {
                phase = next;
                lock.notifyAll();
            }
        }
    }

    /**
     * Counts one request in, unless the server refuses new work.
     *
     * @return true when the request is accepted and {@link #exit()} must be called exactly once for it
     */
    public boolean enter() {
        synchronized (lock) {
            if (phase.compareTo(Phase.REFUSING) >= 0) {
                return false;
            }
            inFlight++;
            return true;
        }
    }

    public void exit() {
        synchronized (lock) {
            inFlight--;
            if (inFlight == 0) {
                lock.notifyAll();
            }
        }
    }

    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /** Waits until no accepted request is left or the deadline ({@link System#nanoTime()}) passes; returns true when none is left. */
    public boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }
}
