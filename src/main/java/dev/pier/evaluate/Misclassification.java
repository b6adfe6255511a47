package dev.pier.evaluate;

/**
 * One wrong prediction, kept for the report's gallery of the most confident mistakes.
 *
 * @param index      position of the example in the dataset
 * @param trueLabel  its class
 * @param predicted  the class the model chose
 * @param confidence the probability the model gave {@code predicted}
 * @param pixels     the image, channels first then rows, values in [0, 1] ({@code channels × height × width});
 *                   a copy
 * @param channels   1 (grayscale), 3 (RGB) or 4 (RGBA)
 * @param height     image rows
 * @param width      image columns
 */
public record Misclassification(
        int index,
        int trueLabel,
        int predicted,
        double confidence,
        float[] pixels,
        int channels,
        int height,
        int width) {

    public Misclassification {
        pixels = pixels.clone();
    }

    @Override
    public float[] pixels() {
        return pixels.clone();
    }
}
