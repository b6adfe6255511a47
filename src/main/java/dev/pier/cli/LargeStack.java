package dev.pier.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a command's work on a thread with a 16 MiB stack and waits for it. ONNX Runtime 1.29's native
 * initialisation overflows the 1 MiB stack the {@code java} launcher gives the main thread and kills the
 * JVM with SIGSEGV (no Java exception, no hs_err file); Maven Surefire's forked JVM does not show it, so
 * only the CLI needs this. Errors and runtime exceptions reach the caller unchanged.
 */
final class LargeStack {

    static final long STACK_BYTES = 16L << 20;

    private LargeStack() {
    }

    static <T> T call(String name, Callable<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name, STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.interrupt();
            throw new IllegalStateException(name + " was interrupted", e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return result.get();
    }
}
