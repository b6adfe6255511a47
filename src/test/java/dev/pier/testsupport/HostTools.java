package dev.pier.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests ask of the host: whether an outside tool is installed, and a free local port. */
public final class HostTools {
    private HostTools() {}

    /** The executable {@code name} on the {@code PATH}, or null where it is not installed (the test then skips). */
    public static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether the executable {@code name} is on the {@code PATH}. */
    public static boolean installed(String name) {
        return onPath(name) != null;
    }

    /** A local port that was free a moment ago (for a child process to bind). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
