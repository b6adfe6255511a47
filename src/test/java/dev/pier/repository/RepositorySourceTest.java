package dev.pier.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositorySourceTest {
    @TempDir
    Path root;

    private void version(String model, String version) throws IOException {
        Path dir = Files.createDirectories(root.resolve(model).resolve(version));
        Files.write(dir.resolve("model.onnx"), new byte[] {1});
    }

    private void config(String model, String yaml) throws IOException {
        Files.createDirectories(root.resolve(model));
        Files.writeString(root.resolve(model).resolve("config.yaml"), yaml);
    }

    private Map<String, SourcedModel> scan() {
        return new RepositorySource(root)
                .scan().stream().collect(Collectors.toMap(SourcedModel::name, Function.identity()));
    }

    @Test
    void findsNumericVersionsAndAspiresTheLatestByDefault() throws IOException {
        version("mnist", "1");
        version("mnist", "2");
        version("mnist", "10");
        SourcedModel.Aspired mnist = (SourcedModel.Aspired) scan().get("mnist");
        assertThat(mnist.versions()).extracting(AspiredVersion::version).containsExactly(10L);
        assertThat(mnist.versions().getFirst().modelFile()).isEqualTo(root.resolve("mnist/10/model.onnx"));
        assertThat(mnist.config().versionPolicy().latest().numVersions()).isEqualTo(1);
    }

    @Test
    void ignoresJunkFoldersAndFilesAndInvalidNames() throws IOException {
        version("mnist", "1");
        version("mnist", "01"); // leading zero: not a version, as in Triton
        version("mnist", "latest");
        version("mnist", "-3");
        Files.writeString(root.resolve("mnist/README.md"), "notes");
        Files.writeString(root.resolve("stray.txt"), "x");
        version("bad name", "1");
        version(".hidden", "1");
        config("all", "version_policy: {all: {}}");
        version("all", "1");
        version("all", "3");
        Map<String, SourcedModel> models = scan();
        assertThat(models).containsOnlyKeys("mnist", "all");
        assertThat(((SourcedModel.Aspired) models.get("mnist")).versions())
                .extracting(AspiredVersion::version)
                .containsExactly(1L);
        assertThat(((SourcedModel.Aspired) models.get("all")).versions())
                .extracting(AspiredVersion::version)
                .containsExactly(3L, 1L);
    }

    @Test
    void aBrokenModelIsReportedWithoutHidingTheOthers() throws IOException {
        version("good", "1");
        version("typo", "1");
        config("typo", "max_batch_sise: 4\n");
        version("renamed", "1");
        config("renamed", "name: other\n");
        Files.createDirectories(root.resolve("empty"));
        version("pinned", "1");
        config("pinned", "version_policy: {specific: {versions: [5]}}\n");
        Map<String, SourcedModel> models = scan();
        assertThat(models.get("good")).isInstanceOf(SourcedModel.Aspired.class);
        assertThat(((SourcedModel.Broken) models.get("typo")).reason())
                .contains("typo")
                .contains("config.yaml")
                .contains("unknown field 'max_batch_sise'");
        assertThat(((SourcedModel.Broken) models.get("renamed")).reason())
                .contains("'other'")
                .contains("'renamed'");
        assertThat(((SourcedModel.Broken) models.get("empty")).reason()).contains("no version folders");
        assertThat(((SourcedModel.Broken) models.get("pinned")).reason())
                .contains("specific [5]")
                .contains("[1]");
    }

    @Test
    void usesTheConfiguredModelFileNameAndIsRepeatable() throws IOException {
        config("m", "default_model_filename: net.onnx\n");
        Files.createDirectories(root.resolve("m/4"));
        RepositorySource source = new RepositorySource(root);
        assertThat(((SourcedModel.Aspired) source.scan().getFirst())
                        .versions()
                        .getFirst()
                        .modelFile())
                .isEqualTo(root.resolve("m/4/net.onnx"));
        Files.createDirectories(root.resolve("m/5"));
        assertThat(((SourcedModel.Aspired) source.scan().getFirst()).versions())
                .extracting(AspiredVersion::version)
                .containsExactly(5L);
    }

    @Test
    void rejectsAMissingRootAndBadNames() {
        assertThatThrownBy(() -> new RepositorySource(root.resolve("nope"))).hasMessageContaining("is not a directory");
        for (String bad : List.of("..", "../etc", "a/b", "", ".x", "a b", "a..b")) {
            assertThat(ModelNames.isValid(bad)).as(bad).isFalse();
        }
        assertThat(ModelNames.isValid("mnist_v2.1-beta")).isTrue();
    }

    @Test
    void singleFileServesVersionOneUnderTheGivenName() throws IOException {
        Path file = Files.write(root.resolve("mnist.onnx"), new byte[] {1});
        assertThat(SingleModelSource.defaultName(file)).isEqualTo("mnist");
        SourcedModel.Aspired m = (SourcedModel.Aspired)
                new SingleModelSource(file, "digits").scan().getFirst();
        assertThat(m.name()).isEqualTo("digits");
        assertThat(m.versions()).containsExactly(new AspiredVersion(1, file));
        assertThat(new SingleModelSource(root.resolve("gone.onnx"), "g").scan().getFirst())
                .isInstanceOf(SourcedModel.Broken.class);
    }
}
