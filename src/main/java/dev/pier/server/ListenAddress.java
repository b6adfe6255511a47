package dev.pier.server;

/**
 * Where a port listens, in words, for the start-up banner: the real scheme and bound address, and for a
 * wildcard bind ({@code 0.0.0.0}, {@code ::}) also the address to use from this machine.
 *
 * @param scheme {@code http://}, {@code https://}, or empty for gRPC
 */
record ListenAddress(String host, int port, String scheme) {
    boolean everyInterface() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
    }

    String address(String h) {
        return scheme + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
    }

    /** What a client on this machine uses. */
    String local() {
        return address(everyInterface() ? (host.contains(":") ? "::1" : "127.0.0.1") : host);
    }

    @Override
    public String toString() {
        return everyInterface()
                ? "listening on every interface (" + address(host) + "); from this machine on " + local()
                : "on " + address(host);
    }
}
