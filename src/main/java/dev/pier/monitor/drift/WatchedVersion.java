package dev.pier.monitor.drift;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.Tensor;
import dev.pier.profile.FeatureExtractor;
import dev.pier.profile.ReferenceProfile;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model version under watch: reads rows from its requests and predicted classes from its responses,
 * feeds its {@link DriftDetector} and keeps its gauges current. Requests whose input cannot be read as the
 * profile's rows (another datatype, another row size) are skipped, with one WARN per version. Not
 * thread-safe: the drift worker owns it.
 */
final class WatchedVersion {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedVersion.class);

    private final String model;
    private final long version;
    private final ReferenceProfile profile;
    private final FeatureExtractor extractor;
    private final DriftDetector detector;
    private final DriftGauges gauges;
    private boolean warned;

    WatchedVersion(String model, long version, ReferenceProfile profile, DriftOptions options, MeterRegistry registry) {
        this.model = model;
        this.version = version;
        this.profile = profile;
        this.extractor = new FeatureExtractor(profile.features());
        this.detector = new DriftDetector(profile, options);
        this.gauges = new DriftGauges(registry, model, version, detector.featureNames());
    }

    /** Feeds every row of one request; returns the last evaluation it triggered, if any. */
    Optional<DriftReport> observe(InferRequest request, InferResponse response) {
        Tensor input = input(request);
        if (input == null) {
            return Optional.empty();
        }
        int per = profile.features().values();
        long count = input.elementCount();
        if (count == 0 || count % per != 0) {
            skip("input '" + input.name() + "' has shape " + input.shape() + ", which is not whole rows of " + per
                    + " values as in the profile");
            return Optional.empty();
        }
        int rows = Math.toIntExact(count / per);
        float[] values = floats(input);
        int[] predicted = predictions(response, rows);
        double[] features = new double[extractor.names().size()];
        Optional<DriftReport> last = Optional.empty();
        for (int r = 0; r < rows; r++) {
            extractor.extract(values, r * per, features);
            Optional<DriftReport> report = detector.add(features, predicted == null ? -1 : predicted[r]);
            if (report.isPresent()) {
                gauges.update(report.get());
                last = report;
            }
        }
        gauges.countRows(rows);
        return last;
    }

    private Tensor input(InferRequest request) {
        String name = profile.input().name();
        Tensor found = request.inputs().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElse(request.inputs().size() == 1 ? request.inputs().getFirst() : null);
        if (found == null) {
            skip("the request has no input '" + name + "' (it has "
                    + request.inputs().stream().map(Tensor::name).toList() + ")");
            return null;
        }
        if (!DriftMonitor.readable(found.datatype())) {
            skip("input '" + found.name() + "' is " + found.datatype() + "; drift detection reads FP32 or FP64");
            return null;
        }
        return found;
    }

    private static float[] floats(Tensor t) {
        if (t.datatype() == DataType.FP32) {
            return t.floats();
        }
        double[] d = t.doubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Argmax per row of the first FP32/FP64 output shaped {@code [rows, k]} with k >= 2, else null. */
    private static int[] predictions(InferResponse response, int rows) {
        for (Tensor out : response.outputs()) {
            if (!DriftMonitor.readable(out.datatype())
                    || out.shape().rank() < 1
                    || out.shape().dim(0) != rows
                    || out.elementCount() % rows != 0
                    || out.elementCount() / rows < 2) {
                continue;
            }
            int k = Math.toIntExact(out.elementCount() / rows);
            double[] s = out.datatype() == DataType.FP64 ? out.doubles() : toDoubles(out.floats());
            int[] best = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 1; c < k; c++) {
                    if (s[r * k + c] > s[r * k + best[r]]) {
                        best[r] = c;
                    }
                }
            }
            return best;
        }
        return null;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private void skip(String why) {
        if (!warned) {
            warned = true;
            LOG.warn("drift detection skips requests to model {} version {}: {}", model, version, why);
        }
    }
}
