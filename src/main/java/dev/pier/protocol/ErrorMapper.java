package dev.pier.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.api.DeadlineExceededException;
import dev.pier.api.InternalException;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.PierException;
import dev.pier.api.ResourceExhaustedException;
import dev.pier.api.UnavailableException;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into a wire status: HTTP status + {@code {"error": msg}} body (the
 * shape both KServe V2 and TF Serving use) and gRPC status codes. Client errors (typed
 * {@link PierException}s, JSON syntax errors, {@link ProtocolException}) keep their message and a 4xx;
 * anything unexpected is a 500/INTERNAL whose detail goes to the log, not to the client. Stateless.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    private static final JsonFactory JSON = new JsonFactory();

    private ErrorMapper() {}

    /** Strips the wrappers that futures and stages add around the real cause. */
    public static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    public static int httpStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof PierException p) {
            return switch (p) {
                case InvalidInputException e -> 400;
                case ModelNotFoundException e -> 404;
                case UnavailableException e -> 503;
                case DeadlineExceededException e -> 504;
                case ResourceExhaustedException e -> 507;
                case InternalException e -> 500;
            };
        }
        if (t instanceof ProtocolException p) {
            return p.httpStatus();
        }
        if (t instanceof BodyBudget.BusyException) {
            return 503;
        }
        if (t instanceof JsonProcessingException) {
            return 400;
        }
        return 500;
    }

    public static GrpcStatus grpcStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof PierException p) {
            return switch (p) {
                case InvalidInputException e -> GrpcStatus.INVALID_ARGUMENT;
                case ModelNotFoundException e -> GrpcStatus.NOT_FOUND;
                case UnavailableException e -> GrpcStatus.UNAVAILABLE;
                case DeadlineExceededException e -> GrpcStatus.DEADLINE_EXCEEDED;
                case ResourceExhaustedException e -> GrpcStatus.RESOURCE_EXHAUSTED;
                case InternalException e -> GrpcStatus.INTERNAL;
            };
        }
        if (t instanceof ProtocolException p) {
            return p.httpStatus() == 413 ? GrpcStatus.RESOURCE_EXHAUSTED : GrpcStatus.INVALID_ARGUMENT;
        }
        if (t instanceof BodyBudget.BusyException) {
            return GrpcStatus.RESOURCE_EXHAUSTED;
        }
        if (t instanceof JsonProcessingException) {
            return GrpcStatus.INVALID_ARGUMENT;
        }
        return GrpcStatus.INTERNAL;
    }

    /**
     * True when the failure only means the client went away (closed or reset its connection or stream): there
     * is nobody to answer and nothing for an operator to fix, so it is logged at DEBUG, never as an error.
     */
    public static boolean isClientGone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof io.vertx.core.http.StreamResetException) {
                return true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if ((t instanceof IOException || t instanceof io.vertx.core.VertxException)
                    && (m.contains("connection reset")
                            || m.contains("broken pipe")
                            || m.contains("connection was closed")
                            || m.contains("connection closed")
                            || m.contains("stream was closed"))) {
                return true;
            }
        }
        return false;
    }

    /** Server-side file paths (the repository's location) never reach a client: an absolute path to a model
     *  file becomes its last three parts ({@code model/version/file}), relative to the repository. */
    private static final java.util.regex.Pattern SERVER_PATH = java.util.regex.Pattern.compile(
            "(?<=^|[\\s'\"(=\\[])(?:[A-Za-z]:)?(?:[/\\\\][^/\\\\\\s'\",;]+)*?[/\\\\]([^/\\\\\\s'\",;]+[/\\\\][^/\\\\\\s'\",;]+[/\\\\][^/\\\\\\s'\",;:]+\\.(?:onnx|ort|yaml|yml|json|pbtxt|data|bin|npy))");

    /** {@code message} with absolute model-file paths cut to {@code model/version/file}. */
    public static String withoutServerPaths(String message) {
        return message == null ? null : SERVER_PATH.matcher(message).replaceAll("$1");
    }

    /** The message a client sees. Unexpected failures are logged here with their stack and reported generically. */
    public static String message(Throwable failure) {
        return withoutServerPaths(rawMessage(failure));
    }

    private static String rawMessage(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof JsonProcessingException j) {
            String loc = j.getLocation() == null
                    ? ""
                    : " at line " + j.getLocation().getLineNr() + ", column "
                            + j.getLocation().getColumnNr();
            return "malformed JSON" + loc + ": " + j.getOriginalMessage();
        }
        if (t instanceof PierException || t instanceof ProtocolException || t instanceof BodyBudget.BusyException) {
            if (t instanceof InternalException) {
                LOG.error("internal error", t);
            }
            return String.valueOf(t.getMessage());
        }
        if (isClientGone(t)) {
            LOG.debug("client went away while being served: {}", t.toString());
            return "client closed the connection";
        }
        LOG.error("unexpected failure while serving a request", t);
        return "internal server error: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** {@code {"error": message}} as UTF-8 JSON bytes. */
    public static byte[] errorJson(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Convenience for the REST layers: the JSON body for a failure. */
    public static byte[] errorJson(Throwable failure) {
        return errorJson(message(failure));
    }

    /** The reverse mapping, for clients: a typed exception for an HTTP error status and its message. */
    public static RuntimeException fromHttp(int status, String message) {
        return switch (status) {
            case 400, 413, 415 -> new InvalidInputException(message);
            case 404 -> new ModelNotFoundException(message);
            case 503 -> new UnavailableException(message);
            case 504 -> new DeadlineExceededException(message);
            case 507 -> new ResourceExhaustedException(message);
            default -> new InternalException("HTTP " + status + ": " + message);
        };
    }

    /** The reverse mapping, for clients: a typed exception for a gRPC status and its message. */
    public static RuntimeException fromGrpc(GrpcStatus status, String message) {
        return switch (status) {
            case INVALID_ARGUMENT -> new InvalidInputException(message);
            case NOT_FOUND -> new ModelNotFoundException(message);
            case UNAVAILABLE -> new UnavailableException(message);
            case DEADLINE_EXCEEDED -> new DeadlineExceededException(message);
            case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(message);
            default -> new InternalException("gRPC " + status + ": " + message);
        };
    }
}
