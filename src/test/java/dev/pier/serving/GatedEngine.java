package dev.pier.serving;

import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import dev.pier.runtime.InferenceEngine;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Test decorator around a real engine: once {@link #closeGate()} is called, every run waits (holding its
 * worker) until {@link #open()}, so a test can fill the worker pool deterministically. Records the names of
 * the threads that ran the model.
 */
final class GatedEngine implements InferenceEngine {
    private final InferenceEngine delegate;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    final Semaphore running = new Semaphore(0);
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    GatedEngine(InferenceEngine delegate) {
        this.delegate = delegate;
    }

    void closeGate() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    @Override
    public ModelSession load(Path modelFile, SessionOptions options) {
        ModelSession session = delegate.load(modelFile, options);
        return new ModelSession() {
            @Override
            public ModelSignature signature() {
                return session.signature();
            }

            @Override
            public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
                threads.add(Thread.currentThread().getName());
                running.release();
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return session.run(inputs, outputNames);
            }

            @Override
            public long sizeBytes() {
                return session.sizeBytes();
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
