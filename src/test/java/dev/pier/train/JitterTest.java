package dev.pier.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.Shape;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random-translation augmentation: every image is its original moved by at most the given pixels. */
class JitterTest {

    @Test
    void eachImageIsATranslationWithinTheRange() {
        int h = 6;
        int w = 5;
        int n = 400;
        Random data = new Random(3);
        float[] original = new float[n * 2 * h * w]; // two channels: both must move together
        for (int i = 0; i < original.length; i++) {
            original[i] = 1 + data.nextInt(100);
        }
        float[] batch = original.clone();
        Jitter.forShape(2, Shape.of(2, h, w)).apply(batch, n, new Random(9));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String found = null;
            for (int dy = -2; dy <= 2 && found == null; dy++) {
                for (int dx = -2; dx <= 2 && found == null; dx++) {
                    if (isShift(original, batch, i * 2 * h * w, h, w, dx, dy)) {
                        found = dx + "," + dy;
                    }
                }
            }
            assertThat(found).as("image " + i + " is a shift of at most 2 px").isNotNull();
            seen.add(found);
        }
        assertThat(seen).as("all 25 offsets occur in 400 draws").hasSize(25);
    }

    private static boolean isShift(float[] in, float[] out, int base, int h, int w, int dx, int dy) {
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y - dy;
                    int sx = x - dx;
                    float want = sy >= 0 && sy < h && sx >= 0 && sx < w ? in[base + c * h * w + sy * w + sx] : 0f;
                    if (out[base + c * h * w + y * w + x] != want) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void flatSquareVectorsAreImagesOthersAreNamed() {
        assertThat(Jitter.forShape(2, Shape.of(784))).isEqualTo(new Jitter(2, 1, 28, 28));
        assertThatThrownBy(() -> Jitter.forShape(2, Shape.of(10)))
                .hasMessageContaining("jitter needs image examples")
                .hasMessageContaining("[10]");
    }
}
