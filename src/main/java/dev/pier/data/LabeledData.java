package dev.pier.data;

import dev.pier.api.Shape;
import java.util.List;

/**
 * A labelled dataset held in memory: {@code count} examples of {@code exampleShape} floats each, stored
 * row-major in one array (so a batch is a contiguous slice), and one class label per example.
 * MNIST's 70,000 images take 220 MB this way. Not copied on access: treat the arrays as read-only.
 *
 * @param name         where it came from, for messages and reports (for instance {@code mnist:test})
 * @param features     {@code count × exampleShape.elementCount()} values, already normalised
 * @param exampleShape the shape of one example (for instance {@code [784]} or {@code [1, 28, 28]})
 * @param labels       class index of each example, in {@code [0, numClasses)}
 * @param numClasses   number of classes
 * @param scaling      the per-column scaling already applied to {@code features} (CSV {@code --normalize}), which a
 *                     model trained on them must repeat on raw inputs; null when the features are as read
 * @param classNames   the name of each class, index order (CSV label strings, image folder names); empty when
 *                     classes are only numbers
 */
public record LabeledData(
        String name,
        float[] features,
        Shape exampleShape,
        int[] labels,
        int numClasses,
        FeatureScaling scaling,
        List<String> classNames) {

    /** Features as read, classes without names. */
    public LabeledData(String name, float[] features, Shape exampleShape, int[] labels, int numClasses) {
        this(name, features, exampleShape, labels, numClasses, null, List.of());
    }

    public LabeledData {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != numClasses) {
            throw new IllegalArgumentException(
                    name + ": " + classNames.size() + " class names for " + numClasses + " classes");
        }
        if (scaling != null && scaling.columns() != exampleShape.elementCount()) {
            throw new IllegalArgumentException(
                    name + ": scaling of " + scaling.columns() + " columns for examples of shape " + exampleShape);
        }
        long per = exampleShape.elementCount();
        if (per <= 0 || features.length != (long) labels.length * per) {
            throw new IllegalArgumentException(name + ": " + features.length + " feature values do not make "
                    + labels.length + " examples of shape " + exampleShape);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        name + ": label " + labels[i] + " of example " + i + " is outside [0, " + numClasses + ")");
            }
        }
    }

    public int count() {
        return labels.length;
    }

    public int exampleSize() {
        return (int) exampleShape.elementCount();
    }
}
