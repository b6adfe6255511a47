package dev.pier.server;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-origin resource sharing for the REST port: which web pages (origins) may call Pier from a browser.
 * Off by default (no origin list): browsers then refuse cross-origin calls, as the Fetch standard intends.
 *
 * @param allowedOrigins origins such as {@code https://app.example.com} or {@code http://127.0.0.1:8080}
 *                       (scheme, host and port, no path), or {@code *} for any; empty = CORS off
 * @param allowedMethods methods a cross-origin page may use (default GET, POST, HEAD)
 * @param allowedHeaders request headers it may send beyond the CORS-safelisted ones (default Content-Type,
 *                       Authorization, the V2 binary extension's Inference-Header-Content-Length, Pier-Timeout-Ms,
 *                       and W3C traceparent / tracestate)
 */
public record CorsOptions(List<String> allowedOrigins, Set<String> allowedMethods, Set<String> allowedHeaders) {
    public static final Set<String> DEFAULT_METHODS = Set.of("GET", "POST", "HEAD");
    public static final Set<String> DEFAULT_HEADERS = Set.of(
            "Content-Type",
            "Authorization",
            "Inference-Header-Content-Length",
            "Pier-Timeout-Ms",
            "traceparent",
            "tracestate");
    private static final Set<String> METHODS = Set.of("GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public CorsOptions {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = Set.copyOf(
                allowedMethods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
        allowedHeaders = Set.copyOf(allowedHeaders);
        for (String origin : allowedOrigins) {
            checkOrigin(origin);
        }
        for (String m : allowedMethods) {
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException(
                        "CORS method '" + m + "' is not one of " + new java.util.TreeSet<>(METHODS));
            }
        }
        for (String h : allowedHeaders) {
            if (!TOKEN.matcher(h).matches()) {
                throw new IllegalArgumentException(
                        "CORS header '" + h + "' is not a header name (expected e.g. Content-Type)");
            }
        }
    }

    /** CORS off. */
    public static CorsOptions none() {
        return new CorsOptions(List.of(), DEFAULT_METHODS, DEFAULT_HEADERS);
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    public boolean anyOrigin() {
        return allowedOrigins.contains("*");
    }

    public CorsOptions withOrigins(List<String> v) {
        return new CorsOptions(v, allowedMethods, allowedHeaders);
    }

    public CorsOptions withMethods(Set<String> v) {
        return new CorsOptions(allowedOrigins, v, allowedHeaders);
    }

    public CorsOptions withHeaders(Set<String> v) {
        return new CorsOptions(allowedOrigins, allowedMethods, v);
    }

    /** An origin is a serialized scheme://host[:port] (RFC 6454), exactly as browsers send it: no path, no slash. */
    private static void checkOrigin(String origin) {
        if (origin.equals("*")) {
            return;
        }
        String expected = "expected an origin such as https://app.example.com or http://127.0.0.1:8080";
        URI uri;
        try {
            uri = new URI(origin);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("CORS origin '" + origin + "' is not a URL; " + expected);
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null
                || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("CORS origin '" + origin + "' is not scheme://host[:port]; " + expected);
        }
    }
}
