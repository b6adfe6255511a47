package dev.pier.evaluate;

/**
 * One wrong prediction, kept for the report's gallery of the most confident mistakes.
 *
 * @param index      position of the example in the dataset
 * @param trueLabel  its class
 * @param predicted  the class the model chose
 * @param confidence the probability the model gave {@code predicted}
 * @param pixels     the image, row-major, values in [0, 1] ({@code height × width}); a copy
 * @param height     image rows
 * @param width      image columns
 */
public record Misclassification(int index, int trueLabel, int predicted, double confidence, float[] pixels,
                                int height, int width) {

    public Misclassification {
        pixels = pixels.clone();
    }

    @Override
    public float[] pixels() {
        return pixels.clone();
    }
}
