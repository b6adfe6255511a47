package dev.pier.protocol;

import dev.pier.protocol.codec.ByteSlice;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One request body being read under the limits {@link HttpSupport#withBodySlice} documents: the size limit, the
 * server's in-flight budget and the body idle timeout. Runs on the request's event loop only.
 *
 * <p>Stalls are found by one sweep per event loop over the bodies it is reading ({@link StallSweep}), not by a
 * timer per request: setting and cancelling a Vert.x timer for every request cost a measurable share of a small
 * request's CPU (docs/benchmarks.md, "Hot path profile").
 */
final class BodyRead {
    private final RoutingContext ctx;
    private final long maxBytes;
    private final long declared;
    private final BodyBudget budget;
    private final long idleNanos;
    private final Consumer<ByteSlice> next;
    private long reserved;
    private long received;
    private long lastChunk;
    private boolean done;
    /** Where this read sits in its event loop's sweep while it is watched; -1 when it is not. */
    private int slot = -1;

    private StallSweep sweep;
    /** The whole body when it came as one chunk of the declared length (decoded where Vert.x put it). */
    private ByteSlice whole;
    /** A declared length that came in several chunks, gathered into one array of that length. */
    private byte[] fixed;
    /** A chunked body (no declared length), grown as it comes. */
    private Buffer growing;

    private BodyRead(
            RoutingContext ctx,
            long maxBytes,
            long declared,
            BodyBudget budget,
            long idleMillis,
            Consumer<ByteSlice> next) {
        this.ctx = ctx;
        this.maxBytes = maxBytes;
        this.declared = declared;
        this.budget = budget;
        this.idleNanos = idleMillis * 1_000_000L;
        this.next = next;
    }

    static void start(RoutingContext ctx, long maxBytes, Consumer<ByteSlice> next) {
        HttpServerRequest req = ctx.request();
        Intake intake = Intake.of(ctx);
        BodyBudget budget = intake == null ? null : intake.budget();
        String declaredHeader = req.getHeader("Content-Length");
        long declared = declaredHeader == null ? -1 : parseOr(declaredHeader, -1);
        if (declared > maxBytes || declared > Integer.MAX_VALUE - 16) {
            ctx.fail(tooLarge(Math.min(maxBytes, Integer.MAX_VALUE - 16), "Content-Length " + declared));
            return;
        }
        if (budget != null && declared > 0 && !budget.tryReserve(declared)) {
            ctx.fail(budget.busy("a body of " + declared + " bytes"));
            return;
        }
        BodyRead read =
                new BodyRead(ctx, maxBytes, declared, budget, intake == null ? 0 : intake.bodyIdleMillis(), next);
        read.reserved = budget != null && declared > 0 ? declared : 0;
        if (declared == 0) {
            read.whole = ByteSlice.of(new byte[0]);
        } else if (declared < 0) {
            read.growing = Buffer.buffer(4096);
        }
        // a failure or a hang-up before the end also returns what was taken (runs on this event loop)
        ResponseDone.on(ctx.response(), closed -> read.giveBack());
        read.lastChunk = System.nanoTime();
        if (read.idleNanos > 0 && !req.isEnded()) {
            StallSweep.watch(ctx.vertx(), read);
        }
        req.handler(read::chunk);
        req.exceptionHandler(read::fail);
        req.endHandler(v -> read.end());
        req.resume();
    }

    private void chunk(Buffer chunk) {
        if (done) {
            return;
        }
        lastChunk = System.nanoTime();
        int n = chunk.length();
        if (received + n > maxBytes) {
            fail(tooLarge(maxBytes, "more than " + maxBytes + " bytes"));
            return;
        }
        if (declared >= 0) {
            if (received + n > declared) {
                fail(new ProtocolException(400, "request body longer than its Content-Length " + declared));
                return;
            }
            // A known length that arrives in one chunk (the server's chunk size is 64 KiB) is decoded from that
            // chunk's own buffer (Vert.x hands every chunk over in a fresh heap buffer); one in several chunks is
            // read into one array of that size, made at the first chunk that is not the whole body
            if (received == 0 && n == declared) {
                whole = slice(chunk);
            } else {
                if (fixed == null) {
                    fixed = new byte[(int) declared];
                }
                chunk.getBytes(0, n, fixed, (int) received);
            }
        } else {
            if (budget != null) {
                if (!budget.tryReserve(n)) {
                    fail(budget.busy("a chunked body past " + received + " bytes"));
                    return;
                }
                reserved += n;
            }
            growing.appendBuffer(chunk);
        }
        received += n;
    }

    private void end() {
        if (done) {
            return;
        }
        finish();
        try {
            // the decoders read the bytes where they lie: no copy of the body per request
            next.accept(
                    growing != null
                            ? slice(growing)
                            : whole != null
                                    ? whole
                                    : fixed != null
                                            ? new ByteSlice(fixed, 0, (int) received)
                                            : ByteSlice.of(new byte[0]));
        } catch (RuntimeException e) {
            ctx.fail(e);
        } finally {
            giveBack(); // decoded (or refused): the raw bytes are no longer held
        }
    }

    private void fail(Throwable failure) {
        if (!done) {
            finish();
            giveBack();
            ctx.fail(failure);
        }
    }

    private void finish() {
        done = true;
        if (sweep != null) {
            sweep.remove(this);
        }
    }

    /** Called by the sweep for a read that sent nothing for longer than the body idle timeout. */
    private void cut() {
        // a stalled client gets its answer and the connection closed: its body will not come
        ctx.response().putHeader("Connection", "close");
        fail(new ProtocolException(
                408,
                "request body stalled: nothing received for " + idleNanos / 1_000_000L + " ms after " + received
                        + " bytes (body idle timeout, --body-idle-timeout)"));
    }

    private void giveBack() {
        if (budget != null && reserved > 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }

    /** The buffer's readable bytes as a slice of its backing array (a copy only for a buffer without one). */
    static ByteSlice slice(Buffer buffer) {
        if (buffer instanceof BufferInternal internal) {
            ByteBuf buf = internal.getByteBuf();
            if (buf.hasArray()) {
                return new ByteSlice(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            }
        }
        return ByteSlice.of(buffer.getBytes());
    }

    private static long parseOr(String s, long fallback) {
        try {
            return Math.max(0, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static ProtocolException tooLarge(long max, String sent) {
        return new ProtocolException(413, "request body too large: the limit is " + max + " bytes, got " + sent);
    }

    /**
     * The bodies one event loop is reading, checked by one timer that runs while there are any: every
     * {@link #PERIOD_MILLIS}, each read that sent nothing for longer than its idle timeout is cut. Touched only on
     * its event loop's thread.
     */
    private static final class StallSweep {
        /** How often stalls are looked for: a stalled body is cut between its timeout and this much later. */
        static final long PERIOD_MILLIS = 250;

        private static final FastThreadLocal<StallSweep> BY_LOOP = new FastThreadLocal<>() {
            @Override
            protected StallSweep initialValue() {
                return new StallSweep();
            }
        };

        private final ArrayList<BodyRead> reads = new ArrayList<>();
        private boolean scheduled;

        static void watch(Vertx vertx, BodyRead read) {
            StallSweep sweep = BY_LOOP.get();
            read.sweep = sweep;
            read.slot = sweep.reads.size();
            sweep.reads.add(read);
            if (!sweep.scheduled) {
                sweep.scheduled = true;
                vertx.setTimer(PERIOD_MILLIS, id -> sweep.sweep(vertx));
            }
        }

        /** Takes a finished read out in constant time: the last read moves into its slot. */
        void remove(BodyRead read) {
            int i = read.slot;
            if (i < 0) {
                return;
            }
            BodyRead last = reads.remove(reads.size() - 1);
            if (last != read) {
                reads.set(i, last);
                last.slot = i;
            }
            read.slot = -1;
        }

        private void sweep(Vertx vertx) {
            long now = System.nanoTime();
            List<BodyRead> stalled = new ArrayList<>();
            for (BodyRead read : reads) {
                if (now - read.lastChunk > read.idleNanos) {
                    stalled.add(read);
                }
            }
            stalled.forEach(BodyRead::cut); // each takes itself out of reads
            if (reads.isEmpty()) {
                scheduled = false;
            } else {
                vertx.setTimer(PERIOD_MILLIS, id -> sweep(vertx));
            }
        }
    }
}
