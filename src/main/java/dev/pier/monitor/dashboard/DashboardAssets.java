package dev.pier.monitor.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The dashboard's page and its static files, read once from the class path: Pier's own HTML/CSS/JS and the
 * uPlot charting library from its npm package, bundled at build time as the {@code org.webjars.npm:uplot}
 * WebJar (so the build needs no npm registry and the page loads nothing from the internet). A fixed set of
 * URL paths, so there is nothing to traverse. Immutable.
 */
final class DashboardAssets {
    /** The URL paths served; also the paths open without a bearer token (they hold no data). */
    static final Set<String> PATHS = Set.of(
            "/dashboard",
            "/dashboard/",
            "/dashboard/assets/dashboard.js",
            "/dashboard/assets/dashboard.css",
            "/dashboard/assets/uPlot.min.js",
            "/dashboard/assets/uPlot.min.css");

    /** One file: its bytes and content type. */
    record Asset(byte[] bytes, String contentType) {}

    private static final String OWN = "dev/pier/monitor/dashboard/";
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";

    private final Map<String, Asset> byPath = new LinkedHashMap<>();

    DashboardAssets() {
        String uplot = WEBJAR + webjarVersion() + "/dist/";
        Asset page = load(OWN + "index.html", "text/html; charset=utf-8");
        byPath.put("/dashboard", page);
        byPath.put("/dashboard/", page);
        byPath.put("/dashboard/assets/dashboard.js", load(OWN + "dashboard.js", "text/javascript; charset=utf-8"));
        byPath.put("/dashboard/assets/dashboard.css", load(OWN + "dashboard.css", "text/css; charset=utf-8"));
        byPath.put(
                "/dashboard/assets/uPlot.min.js", load(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        byPath.put("/dashboard/assets/uPlot.min.css", load(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    /** The asset at a URL path, or null. */
    Asset get(String path) {
        return byPath.get(path);
    }

    /** The WebJar's version, from the Maven metadata it carries, so a version bump in the pom needs no code change. */
    private static String webjarVersion() {
        Properties p = new Properties();
        try (InputStream in = resource("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uplot WebJar's version", e);
        }
        return p.getProperty("version");
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = resource(name)) {
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard asset " + name, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("dashboard asset " + name + " is not on the class path"
                    + (name.startsWith("META-INF") ? " (the org.webjars.npm:uplot dependency is missing)" : ""));
        }
        return in;
    }
}
