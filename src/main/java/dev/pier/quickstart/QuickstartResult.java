package dev.pier.quickstart;

import dev.pier.evaluate.EvaluationReport;
import dev.pier.train.TrainingResult;
import java.nio.file.Path;

/** What the pipeline produced: the new model version, how it trained, and how it scored on the test set. */
public record QuickstartResult(
        long version,
        Path model,
        TrainingResult training,
        EvaluationReport evaluation,
        Path evaluationJson,
        Path evaluationHtml) {}
