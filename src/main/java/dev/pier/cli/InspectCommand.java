package dev.pier.cli;

import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.OnnxModelSummary;
import dev.pier.onnx.OnnxSummaryFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pier inspect MODEL.onnx [--json]}: what an ONNX file declares and holds. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description =
                "Show an ONNX model's inputs, outputs, opsets, producer, parameter count, file size and operators.")
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
    Path model;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        OnnxModelSummary summary = OnnxModelReader.summarize(model);
        System.out.print(
                json ? OnnxSummaryFormat.json(summary) + System.lineSeparator() : OnnxSummaryFormat.text(summary));
        return 0;
    }
}
