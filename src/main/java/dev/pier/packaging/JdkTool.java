package dev.pier.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool of the JDK that runs Pier ({@code jdeps}, {@code jlink}) or a host tool ({@code ldd}) and returns
 * what it printed; a tool that is missing, fails or hangs is a one-line error naming the command. Stateless.
 */
final class JdkTool {
    /** jlink of a full JDK takes 10-60 s on a loaded machine; ten minutes means it hangs. */
    private static final long TIMEOUT_MINUTES = 10;

    private JdkTool() {}

    /** {@code $JAVA_HOME/bin/NAME} of this JVM; a JRE has no jlink or jdeps, so say which JDK is needed. */
    static Path of(String name) {
        Path tool = Path.of(System.getProperty("java.home"), "bin", name);
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException("--base jre:local needs the JDK's " + name + ", but " + tool
                    + " does not exist: run Pier with a full JDK 21+ (JAVA_HOME), not a JRE");
        }
        return tool;
    }

    /** Runs {@code command}; its combined output, or an exception with the command and the output's tail. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(brief(command) + " did not finish in " + TIMEOUT_MINUTES + " minutes");
        }
        if (p.exitValue() != 0) {
            // one line: the CLI prints an error's first line only
            String tail =
                    String.join(" | ", out.strip().lines().map(String::strip).toList());
            tail = tail.length() > 2000 ? "..." + tail.substring(tail.length() - 2000) : tail;
            throw new IOException(brief(command) + " failed (exit " + p.exitValue() + "): " + tail);
        }
        return out;
    }

    /** The command with long arguments (class paths) shortened, for messages. */
    private static String brief(List<String> command) {
        List<String> shown = new ArrayList<>();
        for (String arg : command) {
            shown.add(arg.length() > 120 ? arg.substring(0, 117) + "..." : arg);
        }
        return String.join(" ", shown);
    }
}
