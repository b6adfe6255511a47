package dev.pier.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.onnx.proto.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelFilesTest {

    @TempDir
    Path dir;

    static ModelProto model(int width) {
        return OnnxModelBuilder.create("g")
                .input("x", DataType.FP32, width)
                .initializer("w", new long[] {width}, new float[width])
                .node("Add", List.of("x", "w"), List.of("y"))
                .output("y", DataType.FP32, width)
                .build();
    }

    @Test
    void toBytesAndSaveWriteTheSameModel() throws Exception {
        OnnxModelBuilder b = OnnxModelBuilder.create("g")
                .input("x", DataType.FP32, 2)
                .node("Neg", List.of("x"), List.of("y"))
                .output("y", DataType.FP32, 2);
        Path file = b.save(dir.resolve("sub/dir/m.onnx"));
        assertThat(Files.readAllBytes(file)).isEqualTo(b.toBytes());
        assertThat(ModelProto.parseFrom(b.toBytes()).getProducerName()).isEqualTo("pier");
    }

    @Test
    void buildRejectsMiswiredGraphsNamingTheValue() {
        assertThatThrownBy(() -> OnnxModelBuilder.create("g")
                        .input("x", DataType.FP32, 2)
                        .node("Add", List.of("x", "bias"), List.of("y"))
                        .output("y", DataType.FP32, 2)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'bias'")
                .hasMessageContaining("Add");
        assertThatThrownBy(() -> OnnxModelBuilder.create("g")
                        .input("x", DataType.FP32, 2)
                        .node("Neg", List.of("x"), List.of("y"))
                        .output("z", DataType.FP32, 2)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'z'");
    }

    @Test
    void concurrentReadersNeverSeeAPartialModel() throws Exception {
        Path file = dir.resolve("m.onnx");
        OnnxModelFiles.save(model(10), file);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    int width = (int) OnnxModelReader.read(file).summary().parameterCount();
                    assertThat(width).isIn(10, 100_000);
                    reads.incrementAndGet();
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            }
        });
        reader.start();
        for (int i = 0; i < 30; i++) {
            OnnxModelFiles.save(model(i % 2 == 0 ? 100_000 : 10), file);
        }
        done.set(true);
        reader.join();
        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(leftovers()).containsExactly(file);
    }

    @Test
    void aFailedSaveLeavesNoTemporaryFileAndKeepsWhatWasThere() throws Exception {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("child")); // a non-empty directory cannot be replaced
        assertThatThrownBy(() -> OnnxModelFiles.save(model(4), target)).hasMessageContaining(target.toString());
        assertThat(Files.isDirectory(target.resolve("child"))).isTrue();
        assertThat(leftovers()).containsExactly(target);
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
