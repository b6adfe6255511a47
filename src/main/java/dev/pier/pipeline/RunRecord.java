package dev.pier.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Everything one pipeline run did, as {@code runs/<run-id>/run.json}: the parameters, each stage with its timing,
 * hashes and figures, the gate verdicts with the baseline's figures beside the candidate's, the published version,
 * and the canary decisions {@code pier pipeline watch} added later. Immutable.
 *
 * @param runId        sortable id: start time and a random suffix
 * @param pipeline     the pipeline's name
 * @param pipelineFile the file, as given
 * @param pipelineSha256 its content hash
 * @param pierVersion  Pier's version
 * @param status       succeeded, gate_failed or failed
 * @param error        why it failed, or null
 * @param startedAt    ISO-8601
 * @param seconds      wall time
 * @param parameters   the pipeline file's content
 * @param stages       one entry per stage, in order
 * @param candidate    the candidate's evaluation figures, or null
 * @param baseline     the served version's figures on the same data, or null
 * @param gates        gate verdicts
 * @param published    repository, model, version (and canary split), or null
 * @param decisions    canary decisions by {@code pier pipeline watch}, oldest first
 */
public record RunRecord(
        String runId,
        String pipeline,
        String pipelineFile,
        String pipelineSha256,
        String pierVersion,
        String status,
        String error,
        String startedAt,
        double seconds,
        Map<String, Object> parameters,
        List<StageReport> stages,
        Map<String, Object> candidate,
        Map<String, Object> baseline,
        List<GateResult> gates,
        Map<String, Object> published,
        List<Map<String, Object>> decisions) {
    public RunRecord {
        stages = stages == null ? List.of() : List.copyOf(stages);
        gates = gates == null ? List.of() : List.copyOf(gates);
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    RunRecord withDecision(Map<String, Object> decision) {
        List<Map<String, Object>> all = new java.util.ArrayList<>(decisions);
        all.add(decision);
        return new RunRecord(
                runId,
                pipeline,
                pipelineFile,
                pipelineSha256,
                pierVersion,
                status,
                error,
                startedAt,
                seconds,
                parameters,
                stages,
                candidate,
                baseline,
                gates,
                published,
                all);
    }
}
