package dev.pier.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {

    @Test
    void readsHeaderNamedLabelAndStringClasses(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("iris.csv");
        Files.writeString(f, "species,a,b\nvirginica,1.5,2\nsetosa,3,4\n\"versicolor\",5,6.25\n");
        LabeledData d = CsvLoader.load(f, CsvOptions.defaults().withLabelColumn("species"));
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.exampleShape()).isEqualTo(Shape.of(2));
        assertThat(d.features()).containsExactly(1.5f, 2f, 3f, 4f, 5f, 6.25f);
        // sorted names: setosa=0, versicolor=1, virginica=2
        assertThat(d.labels()).containsExactly(2, 0, 1);
        assertThat(d.numClasses()).isEqualTo(3);
    }

    @Test
    void headerlessWithIntegerLabelsLastAndMinMax(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.csv");
        Files.writeString(f, "0,10,1\n5,20,0\n10,30,3\n");
        LabeledData d = CsvLoader.load(f, CsvOptions.defaults().withNormalization(CsvOptions.Normalization.MINMAX));
        assertThat(d.labels()).containsExactly(1, 0, 3);
        assertThat(d.numClasses()).isEqualTo(4);
        assertThat(d.features()).containsExactly(0f, 0f, 0.5f, 0.5f, 1f, 1f);

        LabeledData z = CsvLoader.load(f, CsvOptions.defaults().withNormalization(CsvOptions.Normalization.STANDARD));
        double sd = Math.sqrt((25 + 0 + 25) / 3.0);
        assertThat(z.features()[0]).isCloseTo((float) (-5 / sd), within(1e-6f));
        assertThat(z.features()[2]).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void labelByIndexAndBadCellsAreNamed(@TempDir Path dir) throws Exception {
        Path g = dir.resolve("z.csv");
        Files.writeString(g, "1,0.5,0.25\n0,1,1\n");
        LabeledData d = CsvLoader.load(g, CsvOptions.defaults().withLabelColumn("0"));
        assertThat(d.labels()).containsExactly(1, 0);
        assertThat(d.features()).containsExactly(0.5f, 0.25f, 1f, 1f);

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,0.5,2\n0,oops,1\n");
        assertThatThrownBy(() -> CsvLoader.load(bad, CsvOptions.defaults().withHeader(false)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("row 2")
                .hasMessageContaining("'oops'");
        assertThatThrownBy(() -> CsvLoader.load(g, CsvOptions.defaults().withLabelColumn("7")))
                .hasMessageContaining("label column index 7 is out of range");
    }
}
