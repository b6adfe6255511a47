/**
 * Clients of Pier's own protocols, for {@code pier predict}, tests and benchmarks: KServe V2 and TF Serving
 * over REST (JDK HttpClient) and KServe V2 over gRPC (Vert.x gRPC client). Errors come back as the same
 * typed {@link dev.pier.api.PierException}s the server raised.
 */
package dev.pier.protocol.client;
