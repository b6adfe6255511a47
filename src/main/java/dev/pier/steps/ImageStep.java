package dev.pier.steps;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.api.TensorSpec;
import dev.pier.api.step.Step;
import dev.pier.api.step.StepContext;
import dev.pier.api.step.StepProvider;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code platform: pier_image}: decodes each element of a BYTES input (PNG, JPEG, BMP, GIF: whatever the JDK's
 * ImageIO reads) into FP32 values as {@link ImageOptions} says, one image per element. The output's shape is
 * {@code [images, C, H, W]} (NCHW) or {@code [images, H, W, C]} (NHWC), or whatever config.yaml declares for the
 * output with the same number of values per image (say {@code dims: [784]} for a flat MNIST input). Bytes that
 * are no image are a client error naming the element. Stateless and thread-safe.
 */
public final class ImageStep implements Step {
    public static final String PLATFORM = "pier_image";

    static {
        ImageIO.setUseCache(false); // decode in memory, never through temporary files
    }

    private final ImageOptions options;
    private final ModelSignature signature;
    private final String input;
    private final String output;

    ImageStep(StepContext context) {
        options = ImageOptions.of(context);
        input = context.inputName(0, "image");
        output = context.outputName(0, "tensor");
        Shape inShape =
                context.inputs().isEmpty() || context.inputs().getFirst().shape() == null
                        ? Shape.of(Shape.DYNAMIC)
                        : context.inputs().getFirst().shape();
        Shape outShape = outputShape(context);
        signature = new ModelSignature(
                List.of(new TensorSpec(input, DataType.BYTES, inShape)),
                List.of(new TensorSpec(output, DataType.FP32, outShape)));
    }

    private Shape outputShape(StepContext context) {
        Shape declared = context.outputs().isEmpty()
                ? null
                : context.outputs().getFirst().shape();
        if (declared == null) {
            return options.channelsFirst()
                    ? Shape.of(Shape.DYNAMIC, options.channels(), options.height(), options.width())
                    : Shape.of(Shape.DYNAMIC, options.height(), options.width(), options.channels());
        }
        long perImage = 1;
        for (int i = 1; i < declared.rank(); i++) {
            perImage *= declared.dim(i);
        }
        if (declared.rank() < 2 || declared.dim(0) != Shape.DYNAMIC || perImage != options.valuesPerImage()) {
            throw new IllegalArgumentException("model '" + context.model() + "' (pier_image): output '" + output
                    + "' is declared " + declared + " but each " + options.width() + "x" + options.height() + "x"
                    + options.channels() + " image gives " + options.valuesPerImage()
                    + " values; declare a dynamic first dimension and dims holding that many values");
        }
        return declared;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        Tensor images = inputs.get(input);
        List<byte[]> elements = ((TensorData.Strings) images.data()).elements();
        int per = options.valuesPerImage();
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(elements.size(), per * 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer values = bytes.asFloatBuffer();
        for (int i = 0; i < elements.size(); i++) {
            write(decode(elements.get(i), i), values);
        }
        long[] dims = signature.outputs().getFirst().shape().toArray();
        dims[0] = elements.size();
        return List.of(new Tensor(output, DataType.FP32, Shape.of(dims), new TensorData.Packed(bytes)));
    }

    private BufferedImage decode(byte[] data, int index) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("input '" + input + "' element " + index + " (" + data.length
                    + " bytes) is not a readable image: " + e.getMessage());
        }
        if (image == null) {
            throw new InvalidInputException("input '" + input + "' element " + index + " (" + data.length
                    + " bytes) is not an image ImageIO can read (PNG, JPEG, BMP or GIF expected)");
        }
        int type = options.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        if (image.getType() == type && image.getWidth() == options.width() && image.getHeight() == options.height()) {
            return image; // already right: the pixels are used as they are, no resampling
        }
        BufferedImage out = new BufferedImage(options.width(), options.height(), type);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, options.width(), options.height(), null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Writes one image's values in the configured layout; RGB order for 3 channels. */
    private void write(BufferedImage image, FloatBuffer values) {
        Raster raster = image.getRaster();
        int w = options.width();
        int h = options.height();
        int c = options.channels();
        int[] pixel = new int[raster.getNumBands()];
        int base = values.position();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, pixel);
                for (int ch = 0; ch < c; ch++) {
                    // TYPE_3BYTE_BGR's raster bands are already R, G, B in that order
                    float v = pixel[ch];
                    if (options.invert()) {
                        v = 255 - v;
                    }
                    v = ((options.per255() ? v / 255f : v * options.scale()) - options.mean()[ch]) / options.std()[ch];
                    int at = options.channelsFirst() ? (ch * h + y) * w + x : (y * w + x) * c + ch;
                    values.put(base + at, v);
                }
            }
        }
        values.position(base + w * h * c);
    }

    /** Registers {@value #PLATFORM}. */
    public static final class Provider implements StepProvider {
        @Override
        public String platform() {
            return PLATFORM;
        }

        @Override
        public Step create(StepContext context) {
            return new ImageStep(context);
        }
    }
}
