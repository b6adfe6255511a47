package dev.pier.pipeline;

/**
 * Which run produced a published version: written as {@code lineage.json} into the version folder, read back by
 * the server for the model's metadata ({@code GET /v2/models/m} parameters carry {@code run_id}).
 *
 * @param runId        the pipeline run
 * @param pipeline     the pipeline's name
 * @param modelSha256  the published model file's hash (how a rerun knows this model is already published)
 * @param publishedAt  ISO-8601 instant
 */
public record Lineage(String runId, String pipeline, String modelSha256, String publishedAt) {}
