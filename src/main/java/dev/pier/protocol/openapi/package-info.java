/**
 * The REST API described for tools and people: {@code GET /v2/openapi.json} (OpenAPI 3.0, with each loaded
 * model's inputs and outputs as concrete request and response schemas) and the Swagger UI page at
 * {@code /v2/docs} (from the {@code org.webjars:swagger-ui} WebJar bundled at build time).
 */
package dev.pier.protocol.openapi;
