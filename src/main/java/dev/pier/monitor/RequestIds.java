package dev.pier.monitor;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Request ids for requests whose client sent none: random (version 4) UUIDs, so ids from replicas behind one load
 * balancer never collide and feedback can name any logged request. Each thread draws from its own generator,
 * seeded once from {@link SecureRandom}: {@link UUID#randomUUID()} goes to the shared SecureRandom on every
 * call, which every serving thread then contends for; an id names a request, it guards nothing. Thread-safe.
 */
public final class RequestIds {
    private static final ThreadLocal<SplittableRandom> RANDOM =
            ThreadLocal.withInitial(() -> new SplittableRandom(new SecureRandom().nextLong()));

    private RequestIds() {}

    /** The client's id when it sent a non-blank one, else a fresh random UUID. */
    public static String orGenerate(String clientId) {
        return clientId != null && !clientId.isBlank() ? clientId : random().toString();
    }

    /** A version 4 (random) UUID, RFC 9562's layout: version nibble 4, variant bits 10. */
    static UUID random() {
        SplittableRandom r = RANDOM.get();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(msb, lsb);
    }
}
