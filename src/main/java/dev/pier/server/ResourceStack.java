package dev.pier.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resources of a process, closed in reverse order of opening: whatever start-up opened is pushed here as it
 * is opened, and the same stack closes it, both when a later start-up step fails and at shutdown, so there is one
 * order and it cannot drift. A resource that fails to close is logged and the rest still close. Closing does not
 * touch the thread's interrupt flag unless a close was really interrupted (then the flag is restored, after
 * every resource had its turn). Thread-safe; {@link #close()} is idempotent.
 */
final class ResourceStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceStack.class);

    private record Named(String name, AutoCloseable resource) {}

    private final Deque<Named> opened = new ArrayDeque<>();

    /** Records a resource just opened; returns it. A null resource (a feature that is off) is skipped. */
    synchronized <T extends AutoCloseable> T push(String name, T resource) {
        if (resource != null) {
            opened.push(new Named(name, resource));
        }
        return resource;
    }

    /** Closes every resource, newest first. */
    @Override
    public void close() {
        boolean interrupted = false;
        while (true) {
            Named next;
            synchronized (this) {
                next = opened.poll();
            }
            if (next == null) {
                break;
            }
            // a close that waits (a drain, an unload) must really wait: run it with the flag clear and
            // restore it afterwards
            interrupted |= Thread.interrupted();
            try {
                next.resource().close();
            } catch (InterruptedException e) {
                interrupted = true;
                LOG.warn("closing {} was interrupted", next.name());
            } catch (Exception | LinkageError e) {
                LOG.warn("closing {} failed: {}", next.name(), e.toString());
            }
        }
        if (interrupted || Thread.interrupted()) {
            Thread.currentThread().interrupt();
        }
    }
}
