package dev.pier.compress.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.pier.api.InvalidInputException;
import dev.pier.cli.CliRun;
import dev.pier.compress.CompressionReport;
import dev.pier.compress.MlpCompressionTest;
import dev.pier.compress.TestModels;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.SparseStorage;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.SparseTensorProto;
import dev.pier.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Sparse storage of pruned weights on a real MNIST-trained MLP: the file shrinks as the non-zero count says,
 * ONNX Runtime computes exactly what it computes on the dense file, and Pier reads the weights back unchanged.
 */
class SparseStorageTest extends MlpCompressionTest {
    private CompressionReport prune(Path out, Optional<SparseStorage.IndexType> sparse) {
        return compress(TestModels.trainedMlp(), out, new MagnitudePruner(PruneOptions.magnitude(0.9)), sparse);
    }

    private static ModelProto raw(Path file) throws Exception {
        return ModelProto.parseFrom(Files.readAllBytes(file));
    }

    @Test
    void prunedWeightsStoredSparseShrinkTheFileAndComputeTheSameOutputs() throws Exception {
        Path dense = dir.resolve("dense.onnx");
        Path long64 = dir.resolve("sparse64.onnx");
        Path int32 = dir.resolve("sparse32.onnx");
        CompressionReport d = prune(dense, Optional.empty());
        CompressionReport s64 = prune(long64, Optional.of(SparseStorage.IndexType.INT64));
        CompressionReport s32 = prune(int32, Optional.of(SparseStorage.IndexType.INT32));

        // both weight matrices (rank 2) went sparse, with the requested index type; the biases stayed dense
        for (Path p : new Path[] {long64, int32}) {
            GraphProto g = raw(p).getGraph();
            assertThat(g.getSparseInitializerCount()).isEqualTo(2);
            assertThat(g.getInitializerList()).allMatch(t -> t.getDimsCount() == 1);
        }
        assertThat(raw(long64).getGraph().getSparseInitializer(0).getIndices().getDataType())
                .isEqualTo(TensorProto.DataType.INT64_VALUE);
        assertThat(raw(int32).getGraph().getSparseInitializer(0).getIndices().getDataType())
                .isEqualTo(TensorProto.DataType.INT32_VALUE);

        // sizes follow from the non-zero count: 4 bytes a value plus 8 (or 4) an index, instead of 4 a weight
        long weights = 784 * 64 + 64 * 10;
        long nonZeroWeights = 0;
        for (TensorProto t : raw(dense).getGraph().getInitializerList()) {
            if (t.getDimsCount() == 2) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                while (b.hasRemaining()) {
                    nonZeroWeights += Float.floatToRawIntBits(b.getFloat()) != 0 ? 1 : 0;
                }
            }
        }
        assertThat(nonZeroWeights).isBetween((long) (0.09 * weights), (long) (0.11 * weights));
        long denseBytes = Files.size(dense);
        assertThat(denseBytes - Files.size(long64))
                .isBetween(4 * weights - 12 * nonZeroWeights - 512, 4 * weights - 12 * nonZeroWeights + 512);
        assertThat(denseBytes - Files.size(int32))
                .isBetween(4 * weights - 8 * nonZeroWeights - 512, 4 * weights - 8 * nonZeroWeights + 512);
        assertThat((double) denseBytes / Files.size(int32)).isGreaterThan(4.0);

        // ONNX Runtime densifies on load: bit-identical outputs, identical figures
        float[] expected = TestModels.run(engine, dense, evaluation, 200);
        assertThat(TestModels.run(engine, long64, evaluation, 200)).containsExactly(expected);
        assertThat(TestModels.run(engine, int32, evaluation, 200)).containsExactly(expected);
        assertThat(s64.after().accuracy()).isEqualTo(d.after().accuracy());
        assertThat(s32.after().nonZero()).isEqualTo(d.after().nonZero());
        assertThat(s32.after().parameters()).isEqualTo(d.after().parameters());

        // Pier's reader gives back exactly the dense weights
        Map<String, ByteString> denseWeights =
                weights(OnnxModelReader.read(dense).proto());
        assertThat(weights(OnnxModelReader.read(long64).proto())).isEqualTo(denseWeights);
        assertThat(weights(OnnxModelReader.read(int32).proto())).isEqualTo(denseWeights);
    }

    private static Map<String, ByteString> weights(ModelProto m) {
        assertThat(m.getGraph().getSparseInitializerCount()).isZero();
        return m.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, TensorProto::getRawData, (a, b) -> a));
    }

    @Test
    void aSparseModelFromTheCliCanBeQuantizedAndAModelWithFewZerosStaysDense() throws Exception {
        Path sparse = dir.resolve("p.onnx");
        CliRun pruned = CliRun.of(
                "compress",
                "prune",
                "--model",
                TestModels.trainedMlp().toString(),
                "--sparsity",
                "0.8",
                "--sparse-storage",
                "--dataset",
                "mnist:test:200",
                "--latency-runs",
                "5",
                "--output",
                sparse.toString());
        assertThat(pruned.exit()).as(pruned.err()).isZero();
        assertThat(raw(sparse).getGraph().getSparseInitializerCount()).isEqualTo(2);
        Path q = dir.resolve("q.onnx");
        CliRun quantized = CliRun.of(
                "compress",
                "quantize",
                "--model",
                sparse.toString(),
                "--mode",
                "dynamic",
                "--dataset",
                "mnist:test:200",
                "--latency-runs",
                "5",
                "--output",
                q.toString());
        assertThat(quantized.exit()).as(quantized.err()).isZero();
        assertThat(TestModels.ops(q)).contains("MatMulInteger");

        // 30 % zeros: indices would cost more than the zeros save, so the weights stay dense
        Path few = dir.resolve("few.onnx");
        CliRun light = CliRun.of(
                "compress",
                "prune",
                "--model",
                TestModels.trainedMlp().toString(),
                "--sparsity",
                "0.3",
                "--sparse-storage=int32",
                "--dataset",
                "mnist:test:200",
                "--latency-runs",
                "5",
                "--output",
                few.toString());
        assertThat(light.exit()).as(light.err()).isZero();
        assertThat(raw(few).getGraph().getSparseInitializerCount()).isZero();

        CliRun bad = CliRun.of(
                "compress",
                "prune",
                "--model",
                TestModels.trainedMlp().toString(),
                "--sparsity",
                "0.8",
                "--sparse-storage=int16",
                "--output",
                dir.resolve("bad.onnx").toString());
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("--sparse-storage").contains("int16").containsIgnoringCase("int64");
        assertThat(dir.resolve("bad.onnx")).doesNotExist();
    }

    @Test
    void coordinateIndicesFromOtherToolsAreReadAndBadIndicesNamed() {
        // a 2x3 weight with values at (0,1) and (1,2); values and [NNZ, rank] INT64 indices in typed fields
        SparseTensorProto coo = SparseTensorProto.newBuilder()
                .addDims(2)
                .addDims(3)
                .setValues(TensorProto.newBuilder()
                        .setName("w")
                        .setDataType(TensorProto.DataType.FLOAT_VALUE)
                        .addDims(2)
                        .addFloatData(1.5f)
                        .addFloatData(-2f))
                .setIndices(TensorProto.newBuilder()
                        .setDataType(TensorProto.DataType.INT64_VALUE)
                        .addDims(2)
                        .addDims(2)
                        .addInt64Data(0)
                        .addInt64Data(1)
                        .addInt64Data(1)
                        .addInt64Data(2))
                .build();
        ModelProto m = ModelProto.newBuilder()
                .setIrVersion(8)
                .setGraph(GraphProto.newBuilder().addSparseInitializer(coo))
                .build();
        TensorProto w = SparseStorage.densify(m).getGraph().getInitializer(0);
        assertThat(w.getName()).isEqualTo("w");
        assertThat(w.getDimsList()).containsExactly(2L, 3L);
        assertThat(w.getRawData()).isEqualTo(floats(0, 1.5f, 0, 0, 0, -2f));

        SparseTensorProto outside = coo.toBuilder()
                .setIndices(TensorProto.newBuilder()
                        .setDataType(TensorProto.DataType.INT64_VALUE)
                        .addDims(2)
                        .addInt64Data(1)
                        .addInt64Data(6))
                .build();
        ModelProto bad = m.toBuilder()
                .setGraph(GraphProto.newBuilder().addSparseInitializer(outside))
                .build();
        assertThatThrownBy(() -> SparseStorage.densify(bad))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'w'")
                .hasMessageContaining("index 6")
                .hasMessageContaining("6 elements");
    }

    private static ByteString floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return ByteString.copyFrom(b.array());
    }
}
