package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorsOptionsTest {
    @Test
    void offByDefault() {
        assertThat(CorsOptions.none().enabled()).isFalse();
        assertThat(CorsOptions.none().withOrigins(List.of("*")).anyOrigin()).isTrue();
    }

    @Test
    void originsAreSchemeHostAndPortOnly() {
        assertThat(CorsOptions.none()
                        .withOrigins(List.of("https://app.example.com", "http://127.0.0.1:8080"))
                        .enabled())
                .isTrue();
        for (String bad : List.of(
                "app.example.com", "https://app.example.com/", "https://app.example.com/x", "ftp://h", "http://u@h")) {
            assertThatThrownBy(() -> CorsOptions.none().withOrigins(List.of(bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad)
                    .hasMessageContaining("expected");
        }
    }

    @Test
    void methodsAndHeadersAreChecked() {
        assertThat(CorsOptions.none().withMethods(Set.of("post", "put")).allowedMethods())
                .containsExactlyInAnyOrder("POST", "PUT");
        assertThatThrownBy(() -> CorsOptions.none().withMethods(Set.of("FETCH")))
                .hasMessageContaining("FETCH");
        assertThatThrownBy(() -> CorsOptions.none().withHeaders(Set.of("bad header")))
                .hasMessageContaining("bad header");
    }
}
