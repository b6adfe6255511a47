package dev.pier.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a command's work on a thread with a 16 MiB stack and waits for it. Measured with ONNX Runtime 1.29 on
 * JDK 25: started with a long {@code -cp} (the full Maven class path), the JVM dies with SIGSEGV (no Java
 * exception, no hs_err file) when ORT's environment is first created on the main thread; {@code -Xss2m},
 * a short command line (bin/pier passes the class path in {@code CLASSPATH} for this reason) or a thread
 * with a larger stack each avoid it. This keeps {@code pier evaluate} safe however the JVM was started.
 * Errors and runtime exceptions reach the caller unchanged.
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
