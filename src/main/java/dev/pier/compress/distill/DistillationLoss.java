package dev.pier.compress.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Hinton et al.'s loss on a batch: {@code α·T²·KL(q_t ‖ softmax(z_s/T)) + (1−α)·CE(y, softmax(z_s))}, where
 * labels are {@code [y (class indices), q_t (teacher soft targets at temperature T)]} and the prediction is
 * the student's logits {@code z_s}. The T² keeps the soft gradients' scale independent of T. Immutable.
 */
final class DistillationLoss extends Loss {
    private static final float EPS = 1e-12f;
    private final float temperature;
    private final float alpha;

    DistillationLoss(double temperature, double alpha) {
        super("DistillationLoss");
        this.temperature = (float) temperature;
        this.alpha = (float) alpha;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray y = labels.get(0);
        NDArray soft = labels.get(1);
        int classes = (int) logits.getShape().get(1);
        NDArray hard = y.oneHot(classes)
                .mul(logits.logSoftmax(1))
                .sum(new int[] {1})
                .neg()
                .mean();
        NDArray studentT = logits.div(temperature).logSoftmax(1);
        NDArray kl =
                soft.mul(soft.add(EPS).log().sub(studentT)).sum(new int[] {1}).mean();
        return kl.mul(alpha * temperature * temperature).add(hard.mul(1 - alpha));
    }
}
