package dev.pier.monitor;

import java.util.UUID;

/**
 * Request ids for requests whose client sent none. Random (version 4) UUIDs, so ids from replicas behind one
 * load balancer never collide and feedback can name any logged request. Thread-safe.
 */
public final class RequestIds {
    private RequestIds() {}

    /** The client's id when it sent a non-blank one, else a fresh random UUID. */
    public static String orGenerate(String clientId) {
        return clientId != null && !clientId.isBlank()
                ? clientId
                : UUID.randomUUID().toString();
    }
}
