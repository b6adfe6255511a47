package dev.pier.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a sweep measures and how.
 *
 * @param url            server address: {@code http://HOST:PORT} (REST port for rest/tfserving, gRPC port for grpc)
 * @param model          model name
 * @param protocol       wire protocol
 * @param binary         V2 REST only: send inputs and get outputs in the binary extension
 * @param concurrency    closed-loop worker counts, one step each (empty when {@code rates} is given)
 * @param rates          open-loop request rates per second, one step each (empty for a closed-loop sweep)
 * @param duration       measured time per step
 * @param warmup         unmeasured load before each step (0 for none)
 * @param sloP99Ms       p99 latency target in milliseconds for the capacity statement
 * @param inputFile      request body file: a V2 infer request (rest, grpc) or a {@code :predict} body
 *                       (tfserving); null for random inputs or a dataset
 * @param dataset        e.g. {@code mnist:test}; null for random inputs or a file
 * @param dataDir        MNIST folder for {@code dataset}
 * @param metricsUrl     the server's Prometheus page; null for none (then server figures are null)
 * @param maxOutstanding open loop: most requests in flight before new ones are dropped (counted as errors)
 * @param timeout        per-request timeout; also how long a step waits for late answers
 */
public record SweepOptions(
        URI url,
        String model,
        Protocol protocol,
        boolean binary,
        List<Integer> concurrency,
        List<Double> rates,
        Duration duration,
        Duration warmup,
        double sloP99Ms,
        Path inputFile,
        String dataset,
        Path dataDir,
        URI metricsUrl,
        int maxOutstanding,
        Duration timeout) {
    public SweepOptions {
        concurrency = List.copyOf(concurrency);
        rates = List.copyOf(rates);
        if (concurrency.isEmpty() == rates.isEmpty()) {
            throw new IllegalArgumentException("give either concurrency levels (closed loop) or rates (open loop), "
                    + "not both and not neither; got concurrency " + concurrency + " and rates " + rates);
        }
        concurrency.forEach(c -> {
            if (c < 1) {
                throw new IllegalArgumentException("concurrency levels must be >= 1, got " + c);
            }
        });
        rates.forEach(r -> {
            if (!(r > 0)) {
                throw new IllegalArgumentException("rates must be > 0 requests/s, got " + r);
            }
        });
        if (inputFile != null && dataset != null) {
            throw new IllegalArgumentException("give --input or --dataset, not both");
        }
        if (binary && protocol != Protocol.REST) {
            throw new IllegalArgumentException("--binary applies to --protocol rest only, got " + protocol);
        }
        if (url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("--url must be http://HOST:PORT, got " + url);
        }
        if (duration.isNegative()
                || duration.isZero()
                || warmup.isNegative()
                || !(sloP99Ms > 0)
                || maxOutstanding < 1) {
            throw new IllegalArgumentException(
                    "duration and SLO must be positive, warm-up >= 0 and the outstanding cap >= 1");
        }
    }
}
