package dev.pier.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The version being served now, and where its model file is: asked of a running server when its URL is given
 * ({@code GET /v2/models/m} lists the versions it has available; of those, the one the repository's config routes
 * unversioned requests to, else the newest), otherwise read from the repository alone.
 *
 * @param version the version
 * @param model   its model file in the repository
 * @param source  how it was found, for the run record
 */
record ServedVersion(long version, Path model, String source) {

    static Optional<ServedVersion> find(ModelRepository repo, String model, Optional<URI> server) {
        Optional<Long> fromRepo = repo.servedVersion();
        if (server.isEmpty()) {
            return fromRepo.map(v -> new ServedVersion(v, repo.modelFile(v), "repository " + repo.modelDir()));
        }
        TreeSet<Long> available = availableOn(server.get(), model);
        if (available.isEmpty()) {
            return Optional.empty();
        }
        long v = fromRepo.filter(available::contains).orElse(available.last());
        return Optional.of(new ServedVersion(v, repo.modelFile(v), "server " + server.get()));
    }

    private static TreeSet<Long> availableOn(URI server, String model) {
        URI uri = server.resolve("/v2/models/" + model);
        try {
            HttpResponse<String> r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            TreeSet<Long> versions = new TreeSet<>();
            if (r.statusCode() == 404) {
                return versions;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
            }
            JsonNode body = ModelRepository.JSON.readTree(r.body());
            body.path("versions").forEach(v -> versions.add(Long.parseLong(v.asText())));
            return versions;
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask " + uri + " which version is served: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + uri, e);
        }
    }
}
