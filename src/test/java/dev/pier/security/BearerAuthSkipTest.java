package dev.pier.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Without tokens the check is left out of the request path altogether; with either token it is there. */
class BearerAuthSkipTest {
    private final Handler<HttpServerRequest> next = request -> {};

    @Test
    void noTokenNoCheck() {
        assertThat(SecurityOptions.none().tokens()).isFalse();
        assertThat(BearerAuthHandler.ifTokens(SecurityOptions.none(), next)).isSameAs(next);
    }

    @Test
    void eitherTokenPutsTheCheckInFront() {
        SecurityOptions inference =
                new SecurityOptions(Optional.of("t"), Optional.empty(), Optional.empty(), Optional.empty());
        SecurityOptions admin =
                new SecurityOptions(Optional.empty(), Optional.of("a"), Optional.empty(), Optional.empty());
        for (SecurityOptions options : new SecurityOptions[] {inference, admin}) {
            assertThat(options.tokens()).isTrue();
            assertThat(BearerAuthHandler.ifTokens(options, next)).isInstanceOf(BearerAuthHandler.class);
        }
    }
}
