package dev.pier.protocol.grpc;

import dev.pier.protocol.BodyBudget;
import dev.pier.protocol.ErrorMapper;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Counts the bytes of every gRPC request stream against the server's {@link BodyBudget} while the gRPC server
 * buffers them into messages, in front of it. A call that arrives when the budget is spent, or whose bytes no
 * longer fit while it streams in, is answered RESOURCE_EXHAUSTED at once and its remaining bytes are dropped
 * unread into memory. The bytes go back when the request stream ends (its messages are decoded by then) or
 * breaks off. Stateless apart from the budget; runs on event loops.
 */
public final class GrpcBodyBudget implements Handler<HttpServerRequest> {
    private final BodyBudget budget;
    private final Handler<HttpServerRequest> next;

    public GrpcBodyBudget(BodyBudget budget, Handler<HttpServerRequest> next) {
        this.budget = budget;
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (!(request instanceof HttpServerRequestInternal internal)) {
            next.handle(request);
            return;
        }
        if (budget.used() >= budget.limit()) {
            refuse(request, budget.busy("a new call"));
            request.handler(b -> {}).resume();
            return;
        }
        next.handle(new Counted(internal));
    }

    private void refuse(HttpServerRequest request, Throwable why) {
        if (!request.response().ended() && !request.response().closed()) {
            request.response()
                    .putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", Integer.toString(GrpcStatus.RESOURCE_EXHAUSTED.code))
                    .putHeader(
                            "grpc-message",
                            ErrorMapper.message(why).replace(' ', '+').replace(';', ','))
                    .end();
        }
    }

    /** The request as the gRPC server sees it: every chunk is taken from the budget before it is passed on. */
    private final class Counted extends HttpServerRequestWrapper {
        private long reserved;
        private boolean refused;

        Counted(HttpServerRequestInternal delegate) {
            super(delegate);
        }

        private void giveBack() {
            if (reserved > 0) {
                budget.release(reserved);
                reserved = 0;
            }
        }

        @Override
        public HttpServerRequest handler(Handler<Buffer> handler) {
            if (handler == null) {
                return super.handler(null);
            }
            return super.handler(chunk -> {
                if (refused) {
                    return;
                }
                if (!budget.tryReserve(chunk.length())) {
                    refused = true;
                    giveBack();
                    refuse(delegate, budget.busy("a call's message past " + chunk.length() + " more bytes"));
                    return;
                }
                reserved += chunk.length();
                handler.handle(chunk);
            });
        }

        @Override
        public HttpServerRequest endHandler(Handler<Void> handler) {
            return super.endHandler(v -> {
                giveBack();
                if (!refused && handler != null) {
                    handler.handle(v);
                }
            });
        }

        @Override
        public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
            return super.exceptionHandler(e -> {
                giveBack();
                if (handler != null) {
                    handler.handle(e);
                }
            });
        }
    }
}
