package dev.pier.evaluate;

import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.data.LabeledData;
import dev.pier.profile.FeatureExtractor;
import dev.pier.profile.FeatureSpec;
import dev.pier.profile.ProfileBuilder;
import dev.pier.profile.ReferenceProfile;

/**
 * Builds a model's reference profile from the very tensors an evaluation feeds it (after pixel scaling and
 * layout reordering, so the features are computed on what the server will receive) and the classes it
 * predicted. Runs no inference of its own. Stateless.
 */
final class ProfilePass {

    private ProfilePass() {}

    /** @param scores {@code count × numClasses} raw model outputs of the batched pass */
    static ReferenceProfile build(
            String model,
            ModelSignature signature,
            InputBinding input,
            LabeledData data,
            float scale,
            double[] scores,
            int numClasses) {
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (float v : data.features()) {
            low = Math.min(low, v * scale);
            high = Math.max(high, v * scale);
        }
        FeatureExtractor extractor = new FeatureExtractor(FeatureSpec.detect(input.exampleDims(), low, high));
        ProfileBuilder builder = new ProfileBuilder(extractor, numClasses);
        int chunk = 1024;
        for (int start = 0; start < data.count(); start += chunk) {
            int count = Math.min(chunk, data.count() - start);
            // an unpadded tensor of exactly these rows, in the model's layout
            InputBinding unpadded = new InputBinding(
                    input.inputName(), DataType.FP32, input.layout(), input.exampleDims(), 0, input.gather());
            Tensor t = unpadded.tensor(data, start, count, scale);
            builder.addRows(t.floats(), 0, count);
        }
        for (int i = 0; i < data.count(); i++) {
            builder.addPrediction(argmax(scores, i * numClasses, numClasses));
        }
        TensorSpec spec = signature.inputs().stream()
                .filter(s -> s.name().equals(input.inputName()))
                .findFirst()
                .orElseThrow();
        return builder.build(
                model,
                data.name(),
                new ReferenceProfile.InputInfo(
                        spec.name(), spec.datatype().name(), spec.shape().toArray()));
    }

    static int argmax(double[] scores, int offset, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (scores[offset + c] > scores[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}
