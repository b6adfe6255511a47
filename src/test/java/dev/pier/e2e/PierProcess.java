package dev.pier.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code pier} as a real child process on the test's own classpath (the same classes and
 * dependencies as {@code bin/pier}), and reads the ports it bound from its startup lines. Used by the
 * end-to-end tests so they exercise the CLI, the process and real sockets, not an in-JVM shortcut.
 */
final class PierProcess implements AutoCloseable {
    private static final Pattern REST = Pattern.compile("REST .* on https?://[^:]+:(\\d+)");
    private static final Pattern GRPC = Pattern.compile("gRPC .* on [^:]+:(\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private volatile int httpPort = -1;
    private volatile int grpcPort = -1;

    private PierProcess(Process process) {
        this.process = process;
        reader = new Thread(this::pump, "pier-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code pier ARGS} and waits until it prints that it serves (or dies). */
    static PierProcess serve(String... args) throws IOException, InterruptedException {
        return serveWithJvm(List.of(), args);
    }

    /** As {@link #serve}, with JVM options (e.g. a small {@code -Xmx}) placed after the default ones, so they win. */
    static PierProcess serveWithJvm(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return serveWithEnv(java.util.Map.of(), jvmOptions, args);
    }

    /** As {@link #serveWithJvm}, with extra environment variables (e.g. OTEL_*, PIER_LOG_LEVEL). */
    static PierProcess serveWithEnv(java.util.Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(command.size() - 1, jvmOptions);
        command.add("serve");
        command.addAll(List.of(args));
        command.addAll(List.of("--http-port", "0", "--grpc-port", "0", "--host", "127.0.0.1"));
        ProcessBuilder builder = withClasspath(new ProcessBuilder(command)).redirectErrorStream(true);
        builder.environment().putAll(env);
        PierProcess p = new PierProcess(builder.start());
        if (!p.ready.await(60, TimeUnit.SECONDS) || p.httpPort < 0 || p.grpcPort < 0) {
            p.close();
            throw new IllegalStateException("pier serve did not start; output:\n" + String.join("\n", p.output));
        }
        return p;
    }

    /** Runs {@code pier ARGS} to completion and returns its exit code and combined output. */
    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of(args));
        Process proc = withClasspath(new ProcessBuilder(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(120, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new IllegalStateException("pier " + String.join(" ", args) + " did not finish:\n" + out);
        }
        return new Result(proc.exitValue(), out);
    }

    record Result(int exitCode, String output) {}

    static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the class path travels in CLASSPATH (see environment()): a long command line crashes ONNX Runtime's start-up
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "dev.pier.cli.PierCli");
    }

    static ProcessBuilder withClasspath(ProcessBuilder builder) {
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return builder;
    }

    private void pump() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
                Matcher rest = REST.matcher(line);
                if (rest.find()) {
                    httpPort = Integer.parseInt(rest.group(1));
                }
                Matcher grpc = GRPC.matcher(line);
                if (grpc.find()) {
                    grpcPort = Integer.parseInt(grpc.group(1));
                }
                if (httpPort > 0 && grpcPort > 0) {
                    ready.countDown();
                }
            }
        } catch (IOException ignored) {
            // the process ended; waiters see the missing ports
        } finally {
            ready.countDown();
        }
    }

    int httpPort() {
        return httpPort;
    }

    int grpcPort() {
        return grpcPort;
    }

    String output() {
        return String.join("\n", output);
    }

    /**
     * Sends SIGTERM without waiting. Through the process handle: {@link Process#destroy()} also closes our end
     * of the child's output pipe, which would lose what it prints while shutting down.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the process to end and returns its exit code; fails when it is still running after {@code seconds}. */
    int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("pier did not exit within " + seconds + " s; output:\n" + output());
        }
        reader.join(5_000); // the last lines may still be in the pipe
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
