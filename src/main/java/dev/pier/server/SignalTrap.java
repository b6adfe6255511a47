package dev.pier.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traps SIGTERM so the process decides its own exit (0 after a clean drain) instead of the JVM's default
 * 143. Uses {@code sun.misc.Signal} (module jdk.unsupported), the only JDK hook for a signal; where it is
 * missing the JVM's shutdown hooks still run the shutdown, only the exit code is 143. Stateless.
 */
final class SignalTrap {
    private static final Logger LOG = LoggerFactory.getLogger(SignalTrap.class);

    private SignalTrap() {}

    /** Runs {@code action} on the JVM's signal thread when SIGTERM arrives (it must return quickly). */
    @SuppressWarnings("removal")
    static void onTerm(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> action.run());
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.warn(
                    "cannot trap SIGTERM ({}); the JVM's shutdown hook will stop the server and the exit code will be 143",
                    e.toString());
        }
    }
}
