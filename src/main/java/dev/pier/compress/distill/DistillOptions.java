package dev.pier.compress.distill;

import dev.pier.train.TrainOptions;
import dev.pier.train.TrainOptions.Schedule;
import java.nio.file.Path;

/**
 * How to distil. Immutable.
 *
 * @param student      student architecture spec (see {@link dev.pier.train.Architectures}), e.g. {@code mlp:800,800}
 * @param temperature  softmax temperature T for teacher and student soft outputs; default 20 (Hinton et al.)
 * @param alpha        weight of the soft loss {@code α·T²·KL}; the hard loss gets {@code 1 − α}; default 0.9
 * @param epochs       passes over the training data; default 10
 * @param batchSize    examples per update; default 64
 * @param learningRate Adam learning rate; default 0.001
 * @param schedule     learning-rate schedule over the epochs, as {@code pier train}'s; default constant
 * @param seed         seeds initialisation and shuffling; default 42
 */
public record DistillOptions(
        String student,
        double temperature,
        double alpha,
        int epochs,
        int batchSize,
        float learningRate,
        Schedule schedule,
        long seed) {
    public DistillOptions {
        if (student == null || student.isBlank()) {
            throw new IllegalArgumentException("a student architecture is required, e.g. mlp:800,800");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs and batch size must be >= 1 and the learning rate > 0; got "
                    + epochs + ", " + batchSize + ", " + learningRate);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("a learning-rate schedule is required (constant, step or cosine)");
        }
    }

    public static DistillOptions of(String student) {
        return new DistillOptions(student, 20, 0.9, 10, 64, 1e-3f, Schedule.CONSTANT, 42);
    }

    /**
     * The same run described as {@code pier train} options, so the student gets exactly the optimizer (Adam and its
     * epsilon) and schedule that training it alone gets: distilled and undistilled students differ only in the loss.
     * The output path is a placeholder TrainOptions requires; only the optimizer settings are read.
     */
    TrainOptions asTraining() {
        return TrainOptions.defaults().toBuilder()
                .architecture(student)
                .learningRate(learningRate)
                .schedule(schedule)
                .epochs(epochs)
                .batchSize(batchSize)
                .seed(seed)
                .validationSplit(0)
                .output(Path.of("student.onnx"))
                .build();
    }
}
