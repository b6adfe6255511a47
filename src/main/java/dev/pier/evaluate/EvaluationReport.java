package dev.pier.evaluate;

import dev.pier.evaluate.metrics.Calibration;
import dev.pier.evaluate.metrics.ClassificationMetrics;
import dev.pier.evaluate.metrics.ConfusionMatrix;
import java.util.List;

/**
 * Everything one evaluation measured: quality, calibration, speed and size. Immutable value, written out by
 * {@link dev.pier.evaluate.report.JsonReportWriter} and {@link dev.pier.evaluate.report.HtmlReportWriter}.
 *
 * @param model              the model file, as given
 * @param dataset            the dataset's name (for instance {@code mnist:test})
 * @param count              examples evaluated
 * @param numClasses         classes the model scores
 * @param outputKind         what the output turned out to be (PROBABILITIES or LOGITS)
 * @param inputLayout        how images were fed (FLAT, NCHW or NHWC)
 * @param classification     accuracy, per-class and averaged precision, recall and F1
 * @param confusion          confusion matrix, rows = true class
 * @param topK               k of the top-k accuracy
 * @param topKAccuracy       top-k accuracy
 * @param logLoss            mean cross-entropy (sklearn's clipping)
 * @param calibration        reliability bins and expected calibration error
 * @param latency            single-call latency
 * @param throughput         images per second in the batched pass
 * @param throughputBatch    the batch size of that pass
 * @param parameters         number of weights stored in the model (initializer elements)
 * @param sizeBytes          model file size
 * @param worst              the most confident mistakes, most confident first
 * @param exampleUnit        what one example is, for throughput and counts: {@code images} or {@code rows} (tabular)
 */
public record EvaluationReport(
        String model,
        String dataset,
        int count,
        int numClasses,
        OutputKind outputKind,
        InputLayout inputLayout,
        ClassificationMetrics classification,
        ConfusionMatrix confusion,
        int topK,
        double topKAccuracy,
        double logLoss,
        Calibration calibration,
        LatencyFigures latency,
        double throughput,
        int throughputBatch,
        long parameters,
        long sizeBytes,
        List<Misclassification> worst,
        String exampleUnit) {

    /** A report on images. */
    public EvaluationReport(
            String model,
            String dataset,
            int count,
            int numClasses,
            OutputKind outputKind,
            InputLayout inputLayout,
            ClassificationMetrics classification,
            ConfusionMatrix confusion,
            int topK,
            double topKAccuracy,
            double logLoss,
            Calibration calibration,
            LatencyFigures latency,
            double throughput,
            int throughputBatch,
            long parameters,
            long sizeBytes,
            List<Misclassification> worst) {
        this(
                model,
                dataset,
                count,
                numClasses,
                outputKind,
                inputLayout,
                classification,
                confusion,
                topK,
                topKAccuracy,
                logLoss,
                calibration,
                latency,
                throughput,
                throughputBatch,
                parameters,
                sizeBytes,
                worst,
                "images");
    }

    public EvaluationReport {
        worst = List.copyOf(worst);
        exampleUnit = exampleUnit == null ? "images" : exampleUnit;
    }

    /** Whether top-k says anything: with k at least the number of classes it is 1 by construction. */
    public boolean topKInformative() {
        return topK < numClasses;
    }

    public double accuracy() {
        return classification.accuracy();
    }

    public double ece() {
        return calibration.ece();
    }
}
