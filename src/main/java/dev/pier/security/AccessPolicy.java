package dev.pier.security;

import dev.pier.monitor.dashboard.DashboardRoutes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;

/**
 * Which token a request path needs. It is given the path the dispatcher routes on (the REST router's
 * normalized path, the gRPC method path) and fails closed: only exact spellings of the health, metrics and
 * dashboard-asset paths are open, and any path that could mean the repository API under any decoding
 * (percent-escapes, decoded once or twice, case, {@code ;} parameters, {@code //}, {@code .} and {@code ..},
 * backslashes) needs the admin token. Stateless.
 */
public final class AccessPolicy {
    /** What a caller must present. */
    public enum Access {
        OPEN,
        INFERENCE,
        ADMIN
    }

    static final String REPOSITORY_PREFIX = "/v2/repository";
    private static final Set<String> OPEN = Set.of(
            "/v2/health/live",
            "/v2/health/ready",
            "/grpc.health.v1.Health/Check",
            "/grpc.health.v1.Health/Watch",
            "/inference.GRPCInferenceService/ServerLive",
            "/inference.GRPCInferenceService/ServerReady",
            "/metrics");

    /** The API description: the OpenAPI document, its Swagger UI page and the page's assets (below the prefix). */
    static final Set<String> DOCS = Set.of("/v2/openapi.json", "/v2/docs");

    static final String DOCS_ASSETS = "/v2/docs/assets/";

    private AccessPolicy() {}

    /**
     * As {@link #of(String)}, except that with {@code publicDocs} the API description is open too: its exact
     * paths, and asset paths below {@value #DOCS_ASSETS} that read the same under every decoding (no escapes,
     * no dot segments, no parameters, no backslashes), so no spelling of another path can pass as an asset.
     */
    public static Access of(String dispatchedPath, boolean publicDocs) {
        if (publicDocs && dispatchedPath != null && isDocs(dispatchedPath)) {
            return Access.OPEN;
        }
        return of(dispatchedPath);
    }

    static boolean isDocs(String path) {
        if (DOCS.contains(path)) {
            return true;
        }
        return path.startsWith(DOCS_ASSETS)
                && path.length() > DOCS_ASSETS.length()
                && path.chars()
                        .allMatch(c -> (c >= 'a' && c <= 'z')
                                || (c >= '0' && c <= '9')
                                || c == '/'
                                || c == '-'
                                || c == '_'
                                || c == '.')
                && !path.contains("//")
                && !path.contains("/./")
                && !path.contains("/../")
                && !path.endsWith("/..")
                && !path.endsWith("/.");
    }

    /** @param dispatchedPath the path exactly as the router or gRPC server matches it against its routes */
    public static Access of(String dispatchedPath) {
        if (dispatchedPath == null) {
            return Access.ADMIN;
        }
        if (OPEN.contains(dispatchedPath) || DashboardRoutes.OPEN_PATHS.contains(dispatchedPath)) {
            return Access.OPEN;
        }
        String canonical = canonical(dispatchedPath);
        // a prefix match, so "/v2/repositoryX" needs the admin token too: refusing too much is the safe side
        return canonical.startsWith(REPOSITORY_PREFIX) ? Access.ADMIN : Access.INFERENCE;
    }

    /**
     * The most permissive reading of a path: percent-decoded until stable (at most three rounds), backslashes
     * as slashes, lower case, {@code ;params} dropped from each segment, empty and {@code .} segments dropped,
     * {@code ..} resolved (never above the root). Only used to decide, never to route.
     */
    static String canonical(String path) {
        String p = path;
        for (int round = 0; round < 3; round++) {
            String decoded = percentDecode(p);
            if (decoded.equals(p)) {
                break;
            }
            p = decoded;
        }
        p = p.replace('\\', '/').toLowerCase(Locale.ROOT);
        Deque<String> segments = new ArrayDeque<>();
        for (String raw : p.split("/")) {
            int semicolon = raw.indexOf(';');
            String segment = (semicolon >= 0 ? raw.substring(0, semicolon) : raw).trim();
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(segment);
        }
        return "/" + String.join("/", segments);
    }

    /** Decodes every {@code %xx}; bytes that are not valid UTF-8 (overlong forms such as {@code %c0%af}) are read as Latin-1 and, for the two-byte overlong slash and dot, as what they spell. */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        byte[] bytes = out.toByteArray();
        StringBuilder text = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            // overlong two-byte encodings (0xC0/0xC1 lead) of ASCII: what lenient decoders turn them into
            if ((b == 0xc0 || b == 0xc1) && i + 1 < bytes.length && (bytes[i + 1] & 0xc0) == 0x80) {
                text.append((char) (((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f)));
                i++;
                continue;
            }
            text.append((char) b);
        }
        return text.toString(); // other non-ASCII bytes stay Latin-1: they cannot spell the repository path anyway
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
