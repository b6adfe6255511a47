package dev.pier.bench;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.kserve.V2Codec;
import dev.pier.protocol.tfserving.TfPredictDecoder;
import dev.pier.protocol.tfserving.TfServingJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON tensor codec on the MNIST request the serving benchmarks send: one 784-pixel row, about 35 % of
 * the pixels non-zero and written as Python writes {@code k / 255} (up to 17 significant digits), ~8.5 KB.
 * Run with {@code mvn -Pbench} (JMH's {@code -prof gc} gives the bytes allocated per operation,
 * {@code gc.alloc.rate.norm}). Uses only the codecs' byte[] entry points, so the same file measures older code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    private static final ModelSignature MNIST = new ModelSignature(
            List.of(new TensorSpec("input", DataType.FP32, Shape.of(-1, 784))),
            List.of(new TensorSpec("probabilities", DataType.FP32, Shape.of(-1, 10))));

    private byte[] tfBody;
    /** The ledger's body (bench/ledger_tools.py inputs): 784 uniform values written with 6 decimals. */
    private byte[] tfSixDecimalsBody;

    private byte[] v2Body;
    private InferResponse response;
    private InferRequest v2Request;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            if (i > 0) {
                values.append(", ");
            }
            values.append(random.nextDouble() < 0.35 ? Double.toString((1 + random.nextInt(255)) / 255.0) : "0.0");
        }
        tfBody = ("{\"instances\": [[" + values + "]]}").getBytes(StandardCharsets.UTF_8);
        StringBuilder sixDecimals = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            sixDecimals
                    .append(i > 0 ? ", " : "")
                    .append(String.format(java.util.Locale.ROOT, "%.6f", random.nextDouble()));
        }
        tfSixDecimalsBody = ("{\"instances\": [[" + sixDecimals + "]]}").getBytes(StandardCharsets.UTF_8);
        v2Body = ("{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, 784], \"data\": ["
                        + values + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
        float[] probabilities = new float[10];
        for (int i = 0; i < 10; i++) {
            probabilities[i] = (float) random.nextDouble() / 5;
        }
        response = new InferResponse(
                null, "mnist", 1, List.of(Tensor.ofFloats("probabilities", Shape.of(1, 10), probabilities)), Map.of());
        v2Request = V2Codec.decodeRequest(v2Body, -1, "mnist", OptionalLong.empty());
    }

    @Benchmark
    public Object decodeTfServingMnist() {
        return TfPredictDecoder.decode(tfBody, MNIST, "mnist", OptionalLong.empty());
    }

    @Benchmark
    public Object decodeTfServingSixDecimals() {
        return TfPredictDecoder.decode(tfSixDecimalsBody, MNIST, "mnist", OptionalLong.empty());
    }

    @Benchmark
    public Object decodeV2Mnist() {
        return V2Codec.decodeRequest(v2Body, -1, "mnist", OptionalLong.empty());
    }

    @Benchmark
    public Object encodeTfServingMnist() {
        return TfServingJson.predict(response, true);
    }

    @Benchmark
    public Object encodeV2Mnist() {
        return V2Codec.encodeResponse(response, v2Request);
    }
}
