package dev.pier.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real MNIST files (fetched once into the shared cache). */
class MnistTest {

    @Test
    void readsTheRealFilesWithTheirCountsLabelsAndPixelRange() throws Exception {
        Path dir = MnistFetcher.defaultDir();
        LabeledData test = Mnist.load("mnist:test", dir, Shape.of(784));
        LabeledData train = Mnist.load("mnist:train", dir, Shape.of(1, 28, 28));
        assertThat(test.count()).isEqualTo(10_000);
        assertThat(train.count()).isEqualTo(60_000);
        assertThat(train.exampleShape()).isEqualTo(Shape.of(1, 28, 28));

        // Independently: byte 8 of the label file is the first label, byte 16+k of the image file pixel k.
        byte[] labelBytes = Files.readAllBytes(dir.resolve("t10k-labels-idx1-ubyte"));
        assertThat(test.labels()[0]).isEqualTo(labelBytes[8] & 0xFF);
        assertThat(test.labels()[9_999]).isEqualTo(labelBytes[8 + 9_999] & 0xFF);
        try (RandomAccessFile images =
                new RandomAccessFile(dir.resolve("t10k-images-idx3-ubyte").toFile(), "r")) {
            images.seek(16 + 784 * 5 + 400);
            assertThat(test.features()[784 * 5 + 400]).isEqualTo(images.read() / 255f);
        }

        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : test.features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        int[] perClass = new int[10];
        for (int l : train.labels()) {
            perClass[l]++;
        }
        assertThat(java.util.Arrays.stream(perClass).min().orElseThrow()).isGreaterThan(5000);
    }

    @Test
    void firstNTakesAPrefix() throws Exception {
        Path dir = MnistFetcher.defaultDir();
        LabeledData some = Mnist.load("mnist:test:100", dir, Shape.of(28, 28, 1));
        LabeledData all = Mnist.load("mnist:test", dir, Shape.of(784));
        assertThat(some.count()).isEqualTo(100);
        assertThat(some.name()).isEqualTo("mnist:test:100");
        for (int i = 0; i < 100 * 784; i += 97) {
            assertThat(some.features()[i]).isEqualTo(all.features()[i]);
        }
    }

    @Test
    void corruptOrTruncatedFilesAreNamed(@TempDir Path tmp) throws Exception {
        Path dir = MnistFetcher.defaultDir();
        MnistFetcher.ensure(dir);
        for (String f : MnistFetcher.FILES) {
            Files.copy(dir.resolve(f), tmp.resolve(f));
        }
        // Swap the label file for an image header: wrong magic number.
        byte[] labels = Files.readAllBytes(tmp.resolve("t10k-labels-idx1-ubyte"));
        labels[3] = 0x03;
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), labels);
        assertThatThrownBy(() -> Mnist.load("mnist:test", tmp, Shape.of(784)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte")
                .hasMessageContaining("wrong magic number 0x00000803, expected 0x00000801");

        byte[] images = Files.readAllBytes(tmp.resolve("train-images-idx3-ubyte"));
        Files.write(tmp.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(images, 1000));
        assertThatThrownBy(() -> Mnist.load("mnist:train:10", tmp, Shape.of(784)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("train-images-idx3-ubyte")
                .hasMessageContaining("truncated: 1000 bytes");
    }

    @Test
    void badSpecsAreRejected() {
        assertThatThrownBy(() -> Mnist.load("mnist:validation", Path.of("."), Shape.of(784)))
                .hasMessageContaining("mnist:validation")
                .hasMessageContaining("expected mnist:train");
        assertThatThrownBy(() -> Mnist.load("mnist:train:0", Path.of("."), Shape.of(784)))
                .hasMessageContaining("first N, N > 0");
        assertThatThrownBy(() -> Mnist.load("mnist:train", Path.of("."), Shape.of(10, 10)))
                .hasMessageContaining("[10, 10]");
    }
}
