package dev.pier.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport under the server's event loops, and the one place the server's Vert.x instance is made.
 * {@code -Dpier.transport=io_uring|epoll|nio} chooses. By default Linux's io_uring where the kernel allows it
 * (container runtimes' default seccomp profiles often forbid it), else native epoll, else the JDK's NIO: io_uring
 * answered the MNIST JSON row 1.5x as fast as NIO in the same run, epoll level with NIO (docs/benchmarks.md,
 * "Socket transport"). A transport that was asked for but does not load falls back the same way, with a warning
 * that names why.
 */
public final class EventLoopTransport {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoopTransport.class);
    static final String PROPERTY = "pier.transport";

    private EventLoopTransport() {}

    /** A Vert.x with {@code eventLoops} event loops over the chosen transport. */
    static Vertx vertx(int eventLoops) {
        return vertx(eventLoops, chosen());
    }

    static Vertx vertx(int eventLoops, Transport transport) {
        return Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(eventLoops))
                .withTransport(transport)
                .build();
    }

    /** The first transport of {@link #order} that loads here. */
    static Transport chosen() {
        String asked = System.getProperty(PROPERTY);
        List<Transport> order = order(asked);
        for (Transport transport : order) {
            if (transport == Transport.NIO || transport.available()) {
                if (asked != null && transport != order.get(0)) {
                    LOG.warn(
                            "the {} socket transport does not load here ({}); using {}",
                            order.get(0).name(),
                            order.get(0).unavailabilityCause(),
                            transport.name());
                }
                LOG.debug("socket transport: {}", transport.name());
                return transport;
            }
        }
        return Transport.NIO;
    }

    /** The transports to try, best first, for the property's value (none: the default order). */
    static List<Transport> order(String asked) {
        if (asked == null || asked.isBlank()) {
            return List.of(Transport.IO_URING, Transport.EPOLL, Transport.NIO);
        }
        return switch (asked.trim().toLowerCase(Locale.ROOT)) {
            case "io_uring", "io-uring", "iouring" -> List.of(Transport.IO_URING, Transport.EPOLL, Transport.NIO);
            case "epoll" -> List.of(Transport.EPOLL, Transport.NIO);
            case "nio" -> List.of(Transport.NIO);
            default ->
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + "=" + asked + " is not a socket transport; expected io_uring, epoll or nio");
        };
    }
}
