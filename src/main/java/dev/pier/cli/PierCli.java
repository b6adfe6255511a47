package dev.pier.cli;

import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.PierException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the {@code pier} command. Subcommands hold no business logic: each parses its options
 * and calls one service. Any failure becomes one line on stderr and a non-zero exit code; {@code --verbose}
 * adds the stack trace.
 */
@Command(name = "pier", mixinStandardHelpOptions = true, version = "pier 0.1.0",
        description = "Take a trained model to production: train, evaluate, compress, package, serve, deploy, monitor.",
        subcommands = {
                CommandLine.HelpCommand.class,
                QuickstartCommand.class,
                TrainCommand.class,
                EvaluateCommand.class,
                InspectCommand.class,
                ServeCommand.class,
                PredictCommand.class,
                BenchCommand.class,
                PackageCommand.class,
                DeployCommand.class,
                ExampleModelCommand.class,
        })
public final class PierCli implements Runnable {

    /** Exit code for bad input from the user (options, files, data). */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failure of the system rather than of the input. */
    public static final int EXIT_FAILURE = 1;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this in-process). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new PierCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            return reportFailure(ex, verbose);
        });
        return cli.execute(args);
    }

    static int reportFailure(Throwable ex, boolean verbose) {
        Throwable shown = ex;
        if (shown.getCause() != null && !(shown instanceof PierException)
                && shown.getClass().getName().startsWith("java.util.concurrent")) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
        System.err.println("pier: " + message.lines().findFirst().orElse(message));
        if (verbose) {
            shown.printStackTrace(System.err);
        }
        return exitCodeFor(shown);
    }

    static int exitCodeFor(Throwable ex) {
        return switch (ex) {
            case InvalidInputException e -> EXIT_USAGE;
            case ModelNotFoundException e -> EXIT_USAGE;
            case IllegalArgumentException e -> EXIT_USAGE;
            case java.nio.file.NoSuchFileException e -> EXIT_USAGE;
            default -> EXIT_FAILURE;
        };
    }
}
