package dev.pier.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: the JDK client would normalize or refuse the odd
 * request targets the security tests send. One request per connection ({@code Connection: close}).
 */
final class RawHttp {
    private RawHttp() {}

    /** A response: status, raw header block (lower-cased names kept as sent) and body text. */
    record Reply(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    static Reply send(int port, String method, String target, String token, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:")
                .append(port)
                .append("\r\nConnection: close\r\nContent-Type: application/json\r\n")
                .append("Content-Length: ")
                .append(payload.length)
                .append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        head.append("\r\n");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** Reads one response until the server closes the connection (or the declared length is in). */
    static Reply read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int headerEnd = -1;
        long contentLength = -1;
        int n;
        while ((n = in.read(buf)) > 0) {
            all.write(buf, 0, n);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                for (String line : text.substring(0, headerEnd).split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        contentLength = Long.parseLong(line.substring(15).trim());
                    }
                }
            }
            if (headerEnd >= 0 && contentLength >= 0 && all.size() >= headerEnd + 4 + contentLength) {
                break;
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new IOException("no complete HTTP response; got " + all.size() + " bytes: " + text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        return new Reply(status, text.substring(0, end), text.substring(end + 4));
    }
}
