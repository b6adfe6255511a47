package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 14 item 9: the banner states the real scheme and address. */
class ListenAddressTest {
    @Test
    void tlsIsHttpsAndASpecificHostIsPrintedAsBound() {
        assertThat(new ListenAddress("10.1.2.3", 8501, "https://").toString()).isEqualTo("on https://10.1.2.3:8501");
        assertThat(new ListenAddress("127.0.0.1", 8500, "").toString()).isEqualTo("on 127.0.0.1:8500");
    }

    @Test
    void aWildcardBindSaysEveryInterfaceAndGivesTheLocalAddress() {
        ListenAddress any = new ListenAddress("0.0.0.0", 8501, "http://");
        assertThat(any.toString())
                .isEqualTo(
                        "listening on every interface (http://0.0.0.0:8501); from this machine on http://127.0.0.1:8501");
        assertThat(new ListenAddress("::", 8443, "https://").toString())
                .contains("https://[::]:8443", "https://[::1]:8443");
    }
}
