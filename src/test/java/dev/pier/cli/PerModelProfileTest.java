package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.monitor.drift.ProfileLocator;
import dev.pier.profile.Profiles;
import dev.pier.profile.ReferenceProfile;
import dev.pier.repository.SingleModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 2: two models trained into one folder keep their own {@code <stem>.profile.json}, each with its
 * model's hash, and a profile that belongs to another model is refused, naming both.
 */
class PerModelProfileTest {

    @TempDir
    Path dir;

    private Path csv(String name, int features) throws Exception {
        Random r = new Random(features);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            int c = i % 2;
            StringBuilder row = new StringBuilder();
            for (int f = 0; f < features; f++) {
                row.append(String.format(Locale.ROOT, "%.3f,", c * 2 + r.nextGaussian()));
            }
            lines.add(row.append(c).toString());
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    private Path train(Path csv, String output) {
        Path model = dir.resolve(output);
        CliRun run = CliRun.of(
                "train",
                "--dataset",
                "csv:" + csv,
                "--arch",
                "mlp:8",
                "--epochs",
                "2",
                "--output",
                model.toString(),
                "--no-progress");
        assertThat(run.exit()).as(run.err()).isZero();
        return model;
    }

    @Test
    void eachModelKeepsItsOwnProfileAndAForeignOneIsRefused() throws Exception {
        Path wide = train(csv("wide.csv", 4), "wide.onnx");
        Path narrow = train(csv("narrow.csv", 3), "narrow.onnx");

        ReferenceProfile wideProfile = Profiles.read(dir.resolve("wide.profile.json"));
        ReferenceProfile narrowProfile = Profiles.read(dir.resolve("narrow.profile.json"));
        assertThat(wideProfile.modelSha256()).isEqualTo(Profiles.sha256(wide));
        assertThat(narrowProfile.modelSha256()).isEqualTo(Profiles.sha256(narrow));
        assertThat(dir.resolve("profile.json")).doesNotExist();

        // pier serve narrow.onnx finds narrow's own profile, not wide's
        ProfileLocator beside = ProfileLocator.beside(new SingleModelSource(narrow, "narrow"));
        assertThat(beside.find("narrow", 1))
                .contains(dir.resolve("narrow.profile.json").toAbsolutePath());

        // a repository version folder whose profile.json is another model's: refused, naming both
        Path version = Files.createDirectories(dir.resolve("repo/narrow/1"));
        Path served = Files.copy(narrow, version.resolve("model.onnx"));
        Files.copy(dir.resolve("wide.profile.json"), version.resolve("profile.json"));
        ProfileLocator repo = ProfileLocator.beside(new SingleModelSource(served, "narrow"));
        assertThatThrownBy(() -> repo.find("narrow", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(version.resolve("profile.json").toString())
                .hasMessageContaining(wide.toString())
                .hasMessageContaining(served.toString());

        // an older profile without the hash: refused by its input shape ([-1, 4] is not [-1, 3])
        ObjectMapper json = new ObjectMapper();
        ObjectNode old =
                (ObjectNode) json.readTree(version.resolve("profile.json").toFile());
        old.remove("modelSha256");
        json.writeValue(version.resolve("profile.json").toFile(), old);
        assertThatThrownBy(() -> repo.find("narrow", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[-1, 4]")
                .hasMessageContaining("[-1, 3]")
                .hasMessageContaining(served.toString());

        // and the right model's profile under the repository name is still read
        Files.copy(
                dir.resolve("narrow.profile.json"),
                version.resolve("profile.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(repo.find("narrow", 1)).contains(version.resolve("profile.json"));
    }
}
