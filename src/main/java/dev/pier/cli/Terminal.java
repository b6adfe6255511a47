package dev.pier.cli;

import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is a terminal, so progress bars are drawn for people and not into logs or CI output. */
final class Terminal {
    private Terminal() {}

    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (java.io.IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        // elsewhere the JDK only says whether stdin and stdout are a terminal; stderr usually goes with them
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console); // JDK 22+
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21 returns a console only for a terminal
        }
    }
}
