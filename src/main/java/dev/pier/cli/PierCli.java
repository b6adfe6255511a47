package dev.pier.cli;

import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.PierException;
import dev.pier.server.StartupTimeline;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the {@code pier} command. Subcommands hold no business logic: each parses its options
 * and calls one service. Any failure becomes one line on stderr and a non-zero exit code; {@code --verbose}
 * adds the stack trace.
 */
@Command(
        name = "pier",
        mixinStandardHelpOptions = true,
        version = "pier 0.1.0",
        description = "Take a trained model to production: train, evaluate, compress, package, serve, deploy, monitor.")
public final class PierCli implements Runnable {

    /** Exit code for bad input from the user (options, files, data). */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failure of the system rather than of the input. */
    public static final int EXIT_FAILURE = 1;

    /** picocli's switch for Groovy closures as annotation values (read once, when picocli's factory loads). */
    private static final String DISABLE_GROOVY_CLOSURES = "picocli.disable.closures";

    /**
     * The subcommands, in the order the usage lists them (after {@code help}). Building a subcommand's model
     * reflects over its options and loads their types (Kubernetes, Jib, DJL ...): all of them cost 0.5-1 s of
     * every start-up, measured on a 2-core machine, so a command line that starts with a subcommand's name
     * builds that one only (see {@link #execute}).
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("quickstart", QuickstartCommand::new);
        m.put("train", TrainCommand::new);
        m.put("evaluate", EvaluateCommand::new);
        m.put("compress", CompressCommand::new);
        m.put("inspect", InspectCommand::new);
        m.put("serve", ServeCommand::new);
        m.put("predict", PredictCommand::new);
        m.put("bench", BenchCommand::new);
        m.put("package", PackageCommand::new);
        m.put("deploy", DeployCommand::new);
        m.put("pipeline", PipelineCommand::new);
        m.put("example-model", ExampleModelCommand::new);
        return m;
    }

    @Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces on errors, and the libraries' INFO logs (WARN and above otherwise).")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        StartupTimeline.mark("main");
        // picocli otherwise looks for Groovy's Closure class once per process, a lookup that fails only after
        // opening every jar on the class path (45 ms of the main thread's start-up, async-profiler); Pier has no Groovy
        if (System.getProperty(DISABLE_GROOVY_CLOSURES) == null) {
            System.setProperty(DISABLE_GROOVY_CLOSURES, "true");
        }
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this in-process). */
    public static int execute(String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        try (LibraryLogs logs = verbose ? LibraryLogs.atInfo() : LibraryLogs.asConfigured()) {
            return run(args);
        }
    }

    private static int run(String... args) {
        if (args.length > 0 && args[0].equals("serve")) {
            ServeWarmup.start(args); // start-up work that needs no option, beside picocli's model and parsing
        }
        CommandLine cli = new CommandLine(new PierCli());
        cli.addSubcommand(new CommandLine.HelpCommand());
        Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) {
            cli.addSubcommand(named.get());
        } else {
            // no subcommand first (pier --help, pier help serve, a typo): every subcommand, so usage and
            // picocli's "did you mean" see them all
            SUBCOMMANDS.values().forEach(s -> cli.addSubcommand(s.get()));
        }
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            return reportFailure(ex, verbose);
        });
        cli.setParameterExceptionHandler(PierCli::reportUsageError);
        // enum options are picocli's to convert (adam, ADAM and Adam alike); set after the subcommands are added,
        // as picocli applies it to the hierarchy present at the call
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }

    /**
     * A command line picocli cannot parse: one line saying what is wrong, picocli's "did you mean" for a
     * mistyped name, and where the usage is, rather than the whole usage (as kubectl and clap do).
     */
    static int reportUsageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        java.io.PrintWriter err = cmd.getErr();
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("pier: " + message.lines().findFirst().orElse(message));
        if (ex instanceof CommandLine.UnmatchedArgumentException) {
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        }
        err.println("try `" + cmd.getCommandSpec().qualifiedName() + " --help`");
        err.flush();
        return EXIT_USAGE;
    }

    static int reportFailure(Throwable ex, boolean verbose) {
        Throwable shown = ex;
        if (shown.getCause() != null
                && !(shown instanceof PierException)
                && shown.getClass().getName().startsWith("java.util.concurrent")) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() != null
                ? shown.getMessage()
                : shown.getClass().getSimpleName();
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
