package dev.pier.serving.graph;

import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.api.step.Step;
import dev.pier.api.step.StepContext;
import dev.pier.api.step.StepProvider;
import java.util.List;
import java.util.Map;

/**
 * The example of a user's own processing step through the SPI: {@code platform: example_scale} multiplies an FP32
 * {@code [rows, features]} input by {@code parameters.factor}. Registered for {@link java.util.ServiceLoader} in the
 * tests' {@code META-INF/services/dev.pier.api.step.StepProvider}, exactly as a jar on the server's class path would
 * register one; nothing in Pier names it.
 */
public final class ExampleScaleStep implements Step {
    private final float factor;
    private final String input;
    private final String output;

    ExampleScaleStep(StepContext context) {
        factor = (float) context.doubleParameter("factor", 1);
        input = context.inputName(0, "x");
        output = context.outputName(0, "y");
    }

    @Override
    public ModelSignature signature() {
        Shape any = Shape.of(Shape.DYNAMIC, Shape.DYNAMIC);
        return new ModelSignature(
                List.of(new TensorSpec(input, DataType.FP32, any)),
                List.of(new TensorSpec(output, DataType.FP32, any)));
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        Tensor x = inputs.get(input);
        float[] v = x.floats();
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        return List.of(Tensor.ofFloats(output, x.shape(), v));
    }

    public static final class Provider implements StepProvider {
        @Override
        public String platform() {
            return "example_scale";
        }

        @Override
        public Step create(StepContext context) {
            return new ExampleScaleStep(context);
        }
    }
}
