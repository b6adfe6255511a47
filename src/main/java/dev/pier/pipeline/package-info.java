/**
 * {@code pier pipeline}: the lifecycle (data, train, compress, evaluate, gates, publish, package, deploy) as one
 * declarative, cached, gated run of a {@code pipeline.yaml}. Each stage calls the service its own command uses; its
 * cache key is the hash of its inputs, so a rerun does only the work whose inputs changed. Runs are recorded under
 * {@code runs/<run-id>/}; a published version records its run ({@code lineage.json}); {@code watch} promotes or rolls
 * back a canary from the server's live accuracy and drift.
 */
package dev.pier.pipeline;
