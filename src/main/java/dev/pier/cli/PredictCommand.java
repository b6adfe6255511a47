package dev.pier.cli;

import dev.pier.predict.PredictOptions;
import dev.pier.predict.PredictResult;
import dev.pier.predict.PredictService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier predict}: sends one request to a running server and prints the answer. */
// no mixinStandardHelpOptions: its -V/--version would clash with the model --version users know from KServe
@Command(
        name = "predict",
        description =
                "Send one inference request to a running Pier (or KServe V2 / TF Serving) server and print the answer.")
public final class PredictCommand implements Callable<Integer> {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(
            names = "--url",
            description = "Server: http://host:port for REST (default http://localhost:8501); "
                    + "host:port or grpc://host:port for --protocol grpc (default port 8500).")
    String url;

    @Option(
            names = {"--model", "-m"},
            required = true,
            description = "Model name.")
    String model;

    @Option(names = "--version", description = "Model version (default: the server's choice).")
    Long version;

    @Option(
            names = "--protocol",
            defaultValue = "v2",
            description =
                    "v2 (KServe V2 REST), tfserving (TF Serving REST) or grpc (KServe V2 gRPC); default ${DEFAULT-VALUE}.")
    PredictOptions.Protocol protocol;

    @Option(
            names = {"--input", "-i"},
            paramLabel = "FILE",
            description = "A JSON request body (V2 or TF Serving), a bare JSON array, or a NumPy .npy file.")
    Path input;

    @Option(
            names = "--image",
            arity = "1..*",
            paramLabel = "IMAGE",
            description = "PNG/JPEG images, one row each, converted to the model's input shape.")
    List<Path> images;

    @Option(
            names = "--invert",
            description = "Invert --image pixels (255 - value) before sending: a dark digit on white "
                    + "paper becomes MNIST's light digit on black.")
    boolean invert;

    @Option(
            names = "--input-name",
            description = "Input that a .npy, bare array or images feed (default: the model's only input).")
    String inputName;

    @Option(names = "--binary", description = "Send and receive V2 REST tensors in the binary data extension.")
    boolean binary;

    @Option(
            names = "--output-format",
            defaultValue = "json",
            description = "json (the response, pretty) or table; default ${DEFAULT-VALUE}.")
    PredictOptions.OutputFormat outputFormat;

    @Option(
            names = "--top-k",
            defaultValue = "3",
            description = "Classes per row in the table (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Request timeout (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        PredictOptions options = new PredictOptions(
                url,
                model,
                version == null ? OptionalLong.empty() : OptionalLong.of(version),
                protocol,
                input,
                images,
                inputName,
                binary,
                outputFormat,
                topK,
                timeout,
                invert);
        PredictResult result;
        try {
            result = new PredictService().predict(options);
        } catch (RuntimeException e) {
            boolean grpc = options.protocol() == PredictOptions.Protocol.GRPC;
            java.net.URI target =
                    grpc ? dev.pier.predict.ServerAddresses.grpc(url) : dev.pier.predict.ServerAddresses.rest(url);
            throw WrongPortHint.explain(e, grpc, target.getHost(), target.getPort() < 0 ? 80 : target.getPort());
        }
        System.out.println(PredictService.render(result, options));
        if (images != null && !invert) {
            images.forEach(image -> ImagePolarity.hint(image).ifPresent(System.err::println));
        }
        return 0;
    }
}
