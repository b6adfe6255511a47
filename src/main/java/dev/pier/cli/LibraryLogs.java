package dev.pier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * The level of the libraries' logs (DJL, ONNX Runtime, Vert.x...) for one command. logback.xml keeps them at
 * WARN (their INFO lines, "Extracting ..." or optimizer notes, are noise to a user) and Pier's own at INFO;
 * {@code --verbose} lowers the libraries to INFO for the command and {@link #close} puts them back. Not
 * thread-safe: the CLI runs one command at a time.
 */
final class LibraryLogs implements AutoCloseable {
    private final Logger root;
    private final Level before;

    private LibraryLogs(Logger root, Level before) {
        this.root = root;
        this.before = before;
    }

    static LibraryLogs asConfigured() {
        return new LibraryLogs(null, null);
    }

    /** The libraries log at INFO (or what PIER_LOG_LEVEL says, when that is finer) until closed. */
    static LibraryLogs atInfo() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return asConfigured(); // another SLF4J binding: its own configuration decides
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        if (before == null || before.isGreaterOrEqual(Level.INFO)) {
            root.setLevel(Level.INFO);
        }
        return new LibraryLogs(root, before);
    }

    @Override
    public void close() {
        if (root != null) {
            root.setLevel(before);
        }
    }
}
