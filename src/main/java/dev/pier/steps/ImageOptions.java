package dev.pier.steps;

import dev.pier.api.step.StepContext;
import java.util.Arrays;
import java.util.Locale;

/**
 * How {@code pier_image} turns an image into numbers, from the model's {@code parameters}
 * ({@code {string_value: ...}}, as every Triton parameter):
 * <ul>
 *   <li>{@code width}, {@code height}: the size images are resized to (bilinear), required;</li>
 *   <li>{@code channels}: 1 (grey) or 3 (RGB), default 3;</li>
 *   <li>{@code layout}: {@code NCHW} (default) or {@code NHWC};</li>
 *   <li>{@code scale}: each 0..255 pixel is multiplied by it first, default {@code 1/255};</li>
 *   <li>{@code mean}, {@code std}: per channel (one value, or one per channel, comma-separated), then
 *       {@code (pixel * scale - mean) / std}; defaults 0 and 1;</li>
 *   <li>{@code invert}: {@code true} turns dark-on-light into light-on-dark ({@code 255 - pixel}) before scaling.</li>
 * </ul>
 */
record ImageOptions(
        int width,
        int height,
        int channels,
        boolean channelsFirst,
        float scale,
        boolean per255,
        float[] mean,
        float[] std,
        boolean invert) {

    static ImageOptions of(StepContext c) {
        String where = "model '" + c.model() + "' (pier_image): ";
        int width = c.intParameter("width", -1);
        int height = c.intParameter("height", -1);
        if (width < 1 || height < 1 || width > 8192 || height > 8192) {
            throw new IllegalArgumentException(
                    where + "parameters 'width' and 'height' must be set to 1..8192 "
                            + "(the size images are resized to), as in parameters: {width: {string_value: \"28\"}, height: {string_value: \"28\"}}");
        }
        int channels = c.intParameter("channels", 3);
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(
                    where + "parameter 'channels' must be 1 (grey) or 3 (RGB), got " + channels);
        }
        String layout = c.parameter("layout").orElse("NCHW").toUpperCase(Locale.ROOT);
        if (!layout.equals("NCHW") && !layout.equals("NHWC")) {
            throw new IllegalArgumentException(where + "parameter 'layout' must be NCHW or NHWC, got '" + layout + "'");
        }
        float scale = (float) c.doubleParameter("scale", 1.0 / 255.0);
        float[] mean = perChannel(c, "mean", 0, channels, where);
        float[] std = perChannel(c, "std", 1, channels, where);
        for (float s : std) {
            if (s == 0 || !Float.isFinite(s)) {
                throw new IllegalArgumentException(
                        where + "parameter 'std' must be finite and non-zero, got " + Arrays.toString(std));
            }
        }
        String invert = c.parameter("invert").orElse("false").toLowerCase(Locale.ROOT);
        if (!invert.equals("true") && !invert.equals("false")) {
            throw new IllegalArgumentException(
                    where + "parameter 'invert' must be true or false, got '" + invert + "'");
        }
        // without a scale, pixels are divided by 255 exactly as Pier's MNIST reader does, so a PNG of an MNIST image
        // gives bit-for-bit the tensor the model was trained and evaluated on
        return new ImageOptions(
                width,
                height,
                channels,
                layout.equals("NCHW"),
                scale,
                c.parameter("scale").isEmpty(),
                mean,
                std,
                invert.equals("true"));
    }

    int valuesPerImage() {
        return width * height * channels;
    }

    private static float[] perChannel(StepContext c, String key, float fallback, int channels, String where) {
        String raw = c.parameter(key).orElse(null);
        float[] out = new float[channels];
        if (raw == null) {
            Arrays.fill(out, fallback);
            return out;
        }
        String[] parts = raw.split(",");
        if (parts.length != 1 && parts.length != channels) {
            throw new IllegalArgumentException(where + "parameter '" + key + "' needs 1 or " + channels
                    + " comma-separated numbers, got '" + raw + "'");
        }
        for (int i = 0; i < channels; i++) {
            try {
                out[i] = Float.parseFloat(parts[parts.length == 1 ? 0 : i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        where + "parameter '" + key + "' must hold numbers, got '" + raw + "'");
            }
        }
        return out;
    }
}
