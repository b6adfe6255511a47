package dev.pier.cli;

import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.server.StartupTimeline;
import java.lang.reflect.AccessibleObject;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@code pier serve}'s start-up work that needs no option, started on its own thread before picocli builds the
 * command (docs/benchmarks.md, "Cold start"): on a 2-core machine picocli's model of {@code serve} is most of the
 * main thread's time before the models load, and this runs beside it.
 *
 * <ol>
 *   <li>ONNX Runtime's environment, which the models' sessions need, on a thread of its own.
 *   <li>The command classes' annotations are read first: the JDK parses each member's annotations once and spins
 *       a proxy class per annotation type (ClassFile API), then caches both; picocli, reading the same members on
 *       the main thread a moment later, finds them cached instead of doing that work itself.
 *   <li>Then logging (logback's XML configuration), unless {@code --verbose} changes its levels.
 * </ol>
 *
 * Every step is also done by the real start-up where it is needed, so a failure here is ignored (it shows there).
 */
final class ServeWarmup {
    /** The classes picocli reflects over for {@code serve}: the top command, the subcommand and its mixin. */
    private static final List<Class<?>> COMMAND_CLASSES =
            List.of(ServeCommand.class, ObservabilityMixin.class, PierCli.class);

    private ServeWarmup() {}

    /** Starts the warm-up thread (a daemon: it never holds the process up). */
    static void start(String[] args) {
        boolean verbose = List.of(args).contains("--verbose");
        // ONNX Runtime first and on a thread of its own: loading its native library is the longest step here and
        // the models wait for it; it logs through java.util.logging, so it does not wait for logback either
        daemon("pier-early-onnxruntime", ServeWarmup::onnxRuntime);
        daemon("pier-early-warmup", () -> commandAndLogging(verbose));
    }

    private static void daemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }

    private static void onnxRuntime() {
        try {
            new OrtEngine();
            StartupTimeline.mark("ONNX Runtime environment created");
        } catch (RuntimeException | LinkageError e) {
            // reported by the real start-up, which does the same again
        }
    }

    private static void commandAndLogging(boolean verbose) {
        try {
            COMMAND_CLASSES.forEach(ServeWarmup::readAnnotations);
            StartupTimeline.mark("command annotations read");
        } catch (RuntimeException | LinkageError e) {
            // picocli reads them again and reports what is wrong
        }
        try {
            if (!verbose) {
                LoggerFactory.getILoggerFactory();
                StartupTimeline.mark("logging initialised");
            }
        } catch (RuntimeException | LinkageError e) {
            // reported by the real start-up, which does the same again
        }
    }

    /** Reads the annotations of the class and of its declared fields and methods (all that picocli inspects). */
    private static void readAnnotations(Class<?> type) {
        type.getDeclaredAnnotations();
        for (AccessibleObject member : type.getDeclaredFields()) {
            member.getDeclaredAnnotations();
        }
        for (AccessibleObject member : type.getDeclaredMethods()) {
            member.getDeclaredAnnotations();
        }
    }
}
