package dev.pier.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a {@code docker load} tarball (manifest.json, the image config, gzipped layer tars) with plain Java, the
 * way {@code skopeo inspect} would show it: config JSON and, per layer, its files and their bytes. Test helper.
 */
record ImageTarball(JsonNode config, List<Map<String, byte[]>> layers) {

    static ImageTarball read(Path tar) throws IOException {
        Map<String, byte[]> entries = entries(Files.newInputStream(tar), false);
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(entries.get("manifest.json")).get(0);
        JsonNode config = json.readTree(entries.get(manifest.path("Config").asText()));
        List<Map<String, byte[]>> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("Layers")) {
            byte[] blob = entries.get(layer.asText());
            layers.add(entries(new ByteArrayInputStream(blob), true));
        }
        return new ImageTarball(config, layers);
    }

    private static Map<String, byte[]> entries(InputStream raw, boolean gzipped) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = gzipped ? new GZIPInputStream(raw) : raw;
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    out.put(e.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""), tar.readAllBytes());
                }
            }
        }
        return out;
    }
}
