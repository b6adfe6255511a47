package dev.pier.data;

import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Loads an image folder laid out as {@code root/<class name>/*.png|jpg|jpeg}: classes are the sub-folders
 * sorted by name (class i is the i-th), examples are channels-first {@code [C, H, W]} with pixels scaled
 * to [0,1], grayscale (C = 1) or RGB (C = 3), resized (bilinear) to the requested size or, without one,
 * required to share the first image's size. Stateless and thread-safe.
 */
public final class ImageFolderLoader {

    /**
     * @param width  target width, or 0 to keep the images' own size
     * @param height target height, or 0 to keep the images' own size
     * @param rgb    three channels (true) or grayscale (false, default)
     */
    public record Options(int width, int height, boolean rgb) {
        public static Options grayscale() {
            return new Options(0, 0, false);
        }
    }

    private ImageFolderLoader() {}

    /** The class names, sorted: class index i is the i-th entry. */
    public static List<String> classNames(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "image folder not found");
        }
        try (Stream<Path> s = Files.list(root)) {
            List<String> names = s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                throw new InvalidInputException(
                        root + ": expected one sub-folder per class (root/<class>/*.png), found none");
            }
            return names;
        }
    }

    public static LabeledData load(Path root, Options options) throws IOException {
        List<String> classes = classNames(root);
        List<float[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int w = options.width();
        int h = options.height();
        int channels = options.rgb() ? 3 : 1;
        for (int k = 0; k < classes.size(); k++) {
            for (Path file : images(root.resolve(classes.get(k)))) {
                BufferedImage img = ImageIO.read(file.toFile());
                if (img == null) {
                    throw new InvalidInputException(file + ": not a readable PNG or JPEG image");
                }
                if (w <= 0 || h <= 0) {
                    w = img.getWidth();
                    h = img.getHeight();
                } else if (options.width() <= 0 && (img.getWidth() != w || img.getHeight() != h)) {
                    throw new InvalidInputException(file + ": image is " + img.getWidth() + "x" + img.getHeight()
                            + " but earlier images are " + w + "x" + h + "; pass a size to resize them all");
                }
                pixels.add(toChannelsFirst(img, w, h, options.rgb()));
                labels.add(k);
            }
        }
        if (pixels.isEmpty()) {
            throw new InvalidInputException(root + ": no .png/.jpg/.jpeg images in the class folders " + classes);
        }
        int per = channels * w * h;
        float[] features = new float[pixels.size() * per];
        for (int i = 0; i < pixels.size(); i++) {
            System.arraycopy(pixels.get(i), 0, features, i * per, per);
        }
        return new LabeledData(
                root.getFileName().toString(),
                features,
                Shape.of(channels, h, w),
                labels.stream().mapToInt(Integer::intValue).toArray(),
                classes.size(),
                null,
                classes);
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return Files.isRegularFile(p)
                                && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
                    })
                    .sorted()
                    .toList();
        }
    }

    /** Draws the image at the target size into an 8-bit gray or RGB raster and unpacks it to CHW floats. */
    static float[] toChannelsFirst(BufferedImage src, int w, int h, boolean rgb) {
        BufferedImage dst = new BufferedImage(w, h, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        float[] out = new float[(rgb ? 3 : 1) * w * h];
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (rgb) {
                    int p = dst.getRGB(x, y);
                    out[i] = ((p >> 16) & 0xFF) / 255f;
                    out[plane + i] = ((p >> 8) & 0xFF) / 255f;
                    out[2 * plane + i] = (p & 0xFF) / 255f;
                } else {
                    out[i] = dst.getRaster().getSample(x, y, 0) / 255f;
                }
            }
        }
        return out;
    }
}
