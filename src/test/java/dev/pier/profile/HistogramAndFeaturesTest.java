package dev.pier.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HistogramAndFeaturesTest {

    @Test
    void histogramBinsFollowTheReferenceDecilesAndKeepPointMassesInOneBin() {
        double[] oneToHundred = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        Histogram h = Histogram.of(oneToHundred);
        // edges: min 1, deciles 10.9, 20.8, ..., 90.1 (linear interpolation), max 100
        assertThat(h.edges()).hasSize(11);
        assertThat(h.edges()[1]).isCloseTo(10.9, within(1e-9));
        assertThat(h.edges()[9]).isCloseTo(90.1, within(1e-9));
        assertThat(h.fractions()[0]).isCloseTo(0.01, within(1e-12)); // (-inf, 1]: the value 1
        assertThat(h.fractions()[1]).isCloseTo(0.09, within(1e-12)); // (1, 10.9]: 2..10
        assertThat(h.fractions()[10]).isCloseTo(0.10, within(1e-12)); // (90.1, 100]: 91..100
        assertThat(h.fractions()[11]).isZero(); // above the reference max
        assertThat(h.bin(0.5)).isZero();
        assertThat(h.bin(1)).isZero();
        assertThat(h.bin(1.5)).isEqualTo(1);
        assertThat(h.bin(1000)).isEqualTo(11);

        double[] mostlyZero = new double[100];
        for (int i = 0; i < 20; i++) {
            mostlyZero[80 + i] = i + 1;
        }
        Histogram z = Histogram.of(mostlyZero);
        assertThat(z.fractions()[0]).isCloseTo(0.8, within(1e-12));
        assertThat(Arrays.stream(z.fractions()).sum()).isCloseTo(1, within(1e-12));
    }

    @Test
    void imageFeaturesOfAKnownImage() {
        FeatureExtractor ex = new FeatureExtractor(FeatureSpec.detect(new long[] {784}, 0, 1));
        assertThat(ex.spec().kind()).isEqualTo(FeatureSpec.Kind.IMAGE);
        assertThat(ex.names())
                .startsWith("mean_intensity", "std_intensity", "ink_area", "center_of_mass_x", "center_of_mass_y")
                .contains("region_0_0", "region_2_2")
                .hasSize(14);
        float[] img = new float[784];
        img[0] = img[1] = img[28] = img[29] = 1f; // a 2x2 block in the top-left corner
        img[27 * 28 + 27] = 0.25f; // one faint pixel in the bottom-right corner, below the ink threshold
        double[] f = new double[14];
        ex.extract(img, 0, f);
        assertThat(f[0]).isCloseTo(4.25 / 784, within(1e-12));
        double mean = 4.25 / 784;
        assertThat(f[1]).isCloseTo(Math.sqrt((4 + 0.0625) / 784 - mean * mean), within(1e-12));
        assertThat(f[2]).isCloseTo(4.0 / 784, within(1e-12));
        // centre of mass: four pixels at x = (0.5, 1.5)/28 weight 1, one at 27.5/28 weight 0.25
        assertThat(f[3]).isCloseTo((4 * 1.0 / 28 + 0.25 * 27.5 / 28) / 4.25, within(1e-12));
        assertThat(f[4]).isCloseTo(f[3], within(1e-12));
        // 3x3 grid of 28 pixels: rows/columns 0..9, 10..18, 19..27 -> cells of 100 and 81 pixels
        assertThat(f[5]).isCloseTo(4.0 / 100, within(1e-12));
        assertThat(f[13]).isCloseTo(0.25 / 81, within(1e-12));
        assertThat(f[9]).isZero();
    }

    @Test
    void channelLayoutsGiveTheSameFeaturesAsTheirAverageGreyImage() {
        int h = 12, w = 10, c = 3;
        float[] chw = new float[c * h * w];
        float[] hwc = new float[c * h * w];
        float[] grey = new float[h * w];
        java.util.Random r = new java.util.Random(5);
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) {
                float v = r.nextFloat();
                chw[ch * h * w + p] = v;
                hwc[p * c + ch] = v;
                grey[p] += v / c;
            }
        }
        double[] a = features(new long[] {c, h, w}, chw);
        double[] b = features(new long[] {h, w, c}, hwc);
        double[] g = features(new long[] {h, w}, grey);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).isCloseTo(g[i], within(1e-6));
            assertThat(b[i]).isCloseTo(g[i], within(1e-6));
        }
    }

    @Test
    void smallVectorsAreTabularLongOnesAreSummarised() {
        FeatureExtractor tab = new FeatureExtractor(FeatureSpec.detect(new long[] {4}, -2, 2));
        assertThat(tab.names()).containsExactly("feature_0", "feature_1", "feature_2", "feature_3");
        double[] f = new double[4];
        tab.extract(new float[] {9, 1, -1, 0.5f, 2}, 1, f);
        assertThat(f).containsExactly(1, -1, 0.5, 2);

        FeatureExtractor vec = new FeatureExtractor(FeatureSpec.detect(new long[] {40}, 0, 39));
        assertThat(vec.spec().kind()).isEqualTo(FeatureSpec.Kind.VECTOR);
        float[] row = new float[40];
        for (int i = 0; i < 40; i++) {
            row[i] = i;
        }
        double[] v = new double[vec.names().size()];
        vec.extract(row, 0, v);
        assertThat(v[0]).isCloseTo(19.5, within(1e-12));
        assertThat(v[2]).isZero();
        assertThat(v[3]).isEqualTo(39);
        assertThat(v[4]).isCloseTo(2.0, within(1e-12)); // chunk 0: values 0..4
    }

    private static double[] features(long[] dims, float[] row) {
        FeatureExtractor ex = new FeatureExtractor(FeatureSpec.detect(dims, 0, 1));
        double[] out = new double[ex.names().size()];
        ex.extract(row, 0, out);
        return out;
    }
}
