package dev.pier.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 7: {@code --base jre:local} without podman: the base tarball holds a runtime jlink'ed from this
 * JDK with the modules the serving classpath needs, and exactly the host libraries it and ONNX Runtime link
 * against (no X11: the headless server never loads AWT's display libraries). Uses the real cache
 * (~/.cache/pier/jre-local), as {@code pier package} does; a second build reuses it.
 */
class LocalRuntimeBaseTest {

    @Test
    void lddLinesBecomeHostPathsAndTheRuntimesOwnLibrariesAreLeftOut() {
        String ldd = """
                \tlinux-vdso.so.1 (0x00007ffd)
                \tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007efd)
                \tlibjli.so => /cache/runtime/lib/libjli.so (0x00007efe)
                \tlibonnxruntime.so.1 => not found
                \t/lib64/ld-linux-x86-64.so.2 (0x00007eff)
                """;
        assertThat(HostLibraries.parse(ldd, Path.of("/cache/runtime")))
                .containsExactly("/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/ld-linux-x86-64.so.2");
    }

    @Test
    void theBaseHoldsALinkedRuntimeAndOnlyTheHostLibrariesItNeeds() throws Exception {
        List<Path> serving = PackageOptions.currentClasspath().stream()
                .filter(p -> Files.isDirectory(p)
                        || (Files.isRegularFile(p)
                                && ImageLayout.servingJar(p.getFileName().toString())))
                .toList();
        List<String> progress = new ArrayList<>();
        LocalRuntimeBase base = new LocalRuntimeBase(LocalRuntimeBase.defaultCache(), progress::add);
        LocalRuntimeBase.Built built = base.build(serving);

        assertThat(built.modules())
                .contains(
                        "java.base", "java.net.http", "jdk.management", "jdk.unsupported", "jdk.zipfs", "java.desktop");
        assertThat(built.libraries())
                .anyMatch(l -> l.endsWith("/libstdc++.so.6"))
                .anyMatch(l -> l.endsWith("/libc.so.6"))
                .noneMatch(l -> l.contains("libX11"));

        ImageTarball image = ImageTarball.read(built.tarball());
        assertThat(image.layers()).hasSize(2);
        Map<String, byte[]> system = image.layers().get(0);
        Map<String, byte[]> java = image.layers().get(1);
        assertThat(new String(system.get("etc/passwd"), StandardCharsets.UTF_8)).contains(":10001:10001:");
        assertThat(system.keySet()).anyMatch(f -> f.endsWith("libstdc++.so.6")).noneMatch(f -> f.contains("libX11"));
        assertThat(java)
                .containsKeys("opt/java/bin/java", "opt/java/lib/modules")
                .doesNotContainKey("opt/java/lib/libawt_xawt.so");
        assertThat(new String(java.get("opt/java/release"), StandardCharsets.UTF_8))
                .contains("JAVA_VERSION=\"" + Runtime.version().feature());
        assertThat(image.config().path("config").path("Env").toString()).contains("PATH=/opt/java/bin");

        List<String> again = new ArrayList<>();
        assertThat(new LocalRuntimeBase(LocalRuntimeBase.defaultCache(), again::add)
                        .build(serving)
                        .tarball())
                .isEqualTo(built.tarball());
        assertThat(again)
                .as("a second build comes from the cache: no jdeps, jlink or tarball")
                .isEmpty();
    }

    @Test
    void aDockerfileCannotStartFromJreLocal() {
        assertThatThrownBy(() -> DockerfileWriter.render(
                        Path.of(""), Path.of("models"), "team/mnist:1", LocalRuntimeBase.SPEC, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--base jre:local")
                .hasMessageContaining(PackageOptions.DEFAULT_BASE);
    }
}
