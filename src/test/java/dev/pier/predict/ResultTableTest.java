package dev.pier.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The table view: top-k per row with labels from metadata properties. */
class ResultTableTest {

    @Test
    void topKPerRowUsesLabelsFromMetadata() {
        RemoteModel model = RemoteModel.fromV2Json("""
                {"name":"m","inputs":[{"name":"x","datatype":"FP32","shape":[-1,2]}],
                 "outputs":[{"name":"p","datatype":"FP32","shape":[-1,3]}],
                 "parameters":{"labels.p":"cat, dog, bird"}}""");
        double[] scores = {0.2, 0.7, 0.1, 0.5, 0.1, 0.4};
        OutputValues p = new OutputValues("p", "FP32", new long[] {2, 3}, scores, null);
        String text = ResultTable.render(new PredictResult("{}", List.of(p), model), 2);
        assertThat(text)
                .contains("output p  FP32  [2, 3]")
                .contains("row 0 top-2:  1 dog (0.700000)  0 cat (0.200000)")
                .contains("row 1 top-2:  0 cat (0.500000)  2 bird (0.400000)");
    }

    @Test
    void integerOutputsGetNoTopK() {
        OutputValues ids = new OutputValues("ids", "INT64", new long[] {2, 2}, new double[] {3, 1, 4, 1}, null);
        String text = ResultTable.render(new PredictResult("{}", List.of(ids), null), 3);
        assertThat(text).contains("values: [3, 1, 4, 1]").doesNotContain("top-");
    }

    @Test
    void readsTfServingMetadataAsPierWritesIt() {
        var sig = new dev.pier.api.ModelSignature(
                List.of(new dev.pier.api.TensorSpec("x", dev.pier.api.DataType.FP32, dev.pier.api.Shape.of(-1, 4))),
                List.of(new dev.pier.api.TensorSpec("y", dev.pier.api.DataType.INT64, dev.pier.api.Shape.of(-1))));
        byte[] json = dev.pier.protocol.tfserving.TfServingJson.metadata(new dev.pier.api.ModelMetadata(
                "m", 2, List.of(2L), dev.pier.api.ModelMetadata.ONNX_PLATFORM, sig, java.util.Map.of()));
        RemoteModel model = RemoteModel.fromTfJson(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(model.signature()).isEqualTo(sig);
    }
}
