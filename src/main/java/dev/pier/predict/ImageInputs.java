package dev.pier.predict;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Turns image files (anything javax.imageio reads: PNG, JPEG, BMP, GIF) into one FP32 batch for a declared
 * input: grayscale or RGB as the input's channels say, resized to its height and width (bilinear), scaled to
 * [0,1], one row per image. The layout follows the declared shape: {@code [N,H*W]}, {@code [N,H,W]},
 * {@code [N,C,H,W]} or {@code [N,H,W,C]} with C of 1 or 3 (channels-first when both could be C); a dynamic
 * H or W keeps the image's own size. Stateless; thread-safe.
 */
public final class ImageInputs {
    private ImageInputs() {}

    /** Where pixels go in one row of the batch. */
    record Layout(int height, int width, int channels, boolean channelsFirst, long[] rowDims) {
        int index(int y, int x, int c) {
            return channelsFirst ? (c * height + y) * width + x : (y * width + x) * channels + c;
        }
    }

    public static Tensor read(List<Path> images, TensorSpec input) {
        return read(images, input, false);
    }

    /** As {@link #read(List, TensorSpec)}; {@code invert} reads each sample as {@code max - sample} (dark on light to light on dark). */
    public static Tensor read(List<Path> images, TensorSpec input, boolean invert) {
        if (input.datatype() != DataType.FP32) {
            throw new IllegalArgumentException("input '" + input.name() + "' takes " + input.datatype()
                    + "; images can only be sent to an FP32 input");
        }
        BufferedImage first = load(images.getFirst());
        Layout layout = layout(input, first);
        int rowSize = layout.height * layout.width * layout.channels;
        float[] data = new float[rowSize * images.size()];
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = i == 0 ? first : load(images.get(i));
            fill(resize(img, layout.width, layout.height), layout, data, i * rowSize, invert);
        }
        long[] dims = new long[layout.rowDims.length + 1];
        dims[0] = images.size();
        System.arraycopy(layout.rowDims, 0, dims, 1, layout.rowDims.length);
        return Tensor.ofFloats(input.name(), Shape.of(dims), data);
    }

    static Layout layout(TensorSpec input, BufferedImage sample) {
        long[] d = input.shape().toArray();
        String declared = "input '" + input.name() + "' is declared " + input.shape();
        switch (d.length) {
            case 2 -> {
                if (d[1] <= 0) {
                    throw new IllegalArgumentException(declared + "; cannot tell the image size from a dynamic width");
                }
                int side = (int) Math.round(Math.sqrt(d[1]));
                if ((long) side * side != d[1]) {
                    throw new IllegalArgumentException(
                            declared + "; images need [N, H*W] with a square H*W, got " + d[1] + " features");
                }
                return new Layout(side, side, 1, true, new long[] {d[1]});
            }
            case 3 -> {
                int h = dim(d[1], sample.getHeight());
                int w = dim(d[2], sample.getWidth());
                return new Layout(h, w, 1, true, new long[] {h, w});
            }
            case 4 -> {
                // ONNX models are mostly channels-first (PyTorch), so that wins when both ends could be channels
                boolean first = d[1] == 1 || d[1] == 3;
                boolean last = d[3] == 1 || d[3] == 3;
                if (!first && !last) {
                    throw new IllegalArgumentException(
                            declared + "; images need [N,C,H,W] or [N,H,W,C] with C = 1 " + "(grayscale) or 3 (RGB)");
                }
                int c = (int) (first ? d[1] : d[3]);
                int h = dim(first ? d[2] : d[1], sample.getHeight());
                int w = dim(first ? d[3] : d[2], sample.getWidth());
                return new Layout(h, w, c, first, first ? new long[] {c, h, w} : new long[] {h, w, c});
            }
            default ->
                throw new IllegalArgumentException(declared + "; images need a rank 2, 3 or 4 input "
                        + "([N,H*W], [N,H,W], [N,C,H,W] or [N,H,W,C])");
        }
    }

    private static int dim(long declared, int imageSize) {
        return declared > 0 ? (int) declared : imageSize; // dynamic: keep the image's own size
    }

    static BufferedImage load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image file " + file + " does not exist");
        }
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new IllegalArgumentException(
                        file + " is not an image javax.imageio can read (PNG, JPEG, " + "BMP, GIF)");
            }
            return img;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read image " + file + ": " + e.getMessage());
        }
    }

    private static boolean isGray(BufferedImage img) {
        return img.getType() == BufferedImage.TYPE_BYTE_GRAY || img.getType() == BufferedImage.TYPE_USHORT_GRAY;
    }

    private static BufferedImage resize(BufferedImage img, int width, int height) {
        if (img.getWidth() == width && img.getHeight() == height) {
            return img;
        }
        // gray stays gray so its raster keeps the stored levels (getRGB would apply a gamma conversion)
        BufferedImage out = new BufferedImage(width, height, isGray(img) ? img.getType() : BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    private static void fill(BufferedImage img, Layout layout, float[] out, int offset, boolean invert) {
        Raster raster = img.getRaster();
        boolean gray = isGray(img);
        float max = img.getType() == BufferedImage.TYPE_USHORT_GRAY ? 65535f : 255f;
        for (int y = 0; y < layout.height; y++) {
            for (int x = 0; x < layout.width; x++) {
                float r;
                float gr;
                float b;
                // inverted on the integer samples, so an inverted file sent with --invert gives the original's floats
                if (gray) {
                    int v = raster.getSample(x, y, 0);
                    r = gr = b = (invert ? max - v : v) / max;
                } else {
                    int rgb = invert ? ~img.getRGB(x, y) : img.getRGB(x, y);
                    r = ((rgb >> 16) & 0xff) / 255f;
                    gr = ((rgb >> 8) & 0xff) / 255f;
                    b = (rgb & 0xff) / 255f;
                }
                if (layout.channels == 1) {
                    out[offset + layout.index(y, x, 0)] = gray ? r : 0.299f * r + 0.587f * gr + 0.114f * b;
                } else {
                    out[offset + layout.index(y, x, 0)] = r;
                    out[offset + layout.index(y, x, 1)] = gr;
                    out[offset + layout.index(y, x, 2)] = b;
                }
            }
        }
    }
}
