package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 14 item 7: runtime errors name the model and version, never the file's server path. */
class OrtModelSessionLabelTest {
    @Test
    void repositoryLayoutBecomesModelAndVersion() {
        assertThat(OrtModelSession.label(Path.of("/srv/repo/mlp/3/model.onnx"))).isEqualTo("model 'mlp' version 3");
        assertThat(OrtModelSession.label(Path.of("/home/me/private/net.onnx"))).isEqualTo("model file net.onnx");
    }
}
