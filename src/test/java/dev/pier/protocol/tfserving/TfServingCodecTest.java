package dev.pier.protocol.tfserving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelSignature;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TfServingCodecTest {
    private static final ModelSignature ONE = new ModelSignature(
            List.of(new TensorSpec("x", DataType.FP32, Shape.of(-1, 2))),
            List.of(new TensorSpec("y", DataType.FP32, Shape.of(-1, 2))));
    private static final ModelSignature TWO = new ModelSignature(
            List.of(
                    new TensorSpec("a", DataType.INT64, Shape.of(-1)),
                    new TensorSpec("s", DataType.BYTES, Shape.of(-1, 1))),
            List.of(
                    new TensorSpec("b", DataType.INT64, Shape.of(-1)),
                    new TensorSpec("t", DataType.BYTES, Shape.of(-1, 1))));
    private static final ModelSignature STRINGS = new ModelSignature(
            List.of(new TensorSpec("s", DataType.BYTES, Shape.of(-1))),
            List.of(new TensorSpec("t", DataType.BYTES, Shape.of(-1))));

    private static TfPredictDecoder.Decoded decode(String json, ModelSignature sig) {
        return TfPredictDecoder.decode(json.getBytes(StandardCharsets.UTF_8), sig, "m", OptionalLong.empty());
    }

    @Test
    void rowFormatWithOneInputMakesTheInstancesTheBatch() {
        TfPredictDecoder.Decoded d =
                decode("{\"signature_name\":\"serving_default\",\"instances\":[[1,2],[3,NaN]]}", ONE);
        Tensor x = d.request().inputs().get(0);
        assertThat(d.rowFormat()).isTrue();
        assertThat(x.name()).isEqualTo("x");
        assertThat(x.shape()).isEqualTo(Shape.of(2, 2));
        float[] f = x.floats();
        assertThat(f[0]).isEqualTo(1f);
        assertThat(f[2]).isEqualTo(3f);
        assertThat(Float.isNaN(f[3])).isTrue();
    }

    @Test
    void rowFormatWithSeveralInputsTakesObjectsAndB64() {
        String b64 = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0, 1});
        TfPredictDecoder.Decoded d =
                decode("{\"instances\":[{\"a\":5,\"s\":[\"hi\"]},{\"s\":[{\"b64\":\"" + b64 + "\"}],\"a\":-6}]}", TWO);
        Tensor a = d.request().inputs().get(0);
        Tensor s = d.request().inputs().get(1);
        assertThat(a.shape()).isEqualTo(Shape.of(2));
        assertThat(a.longs()).containsExactly(5L, -6L);
        assertThat(s.shape()).isEqualTo(Shape.of(2, 1));
        List<byte[]> elements = ((dev.pier.api.TensorData.Strings) s.data()).elements();
        assertThat(elements.get(0)).containsExactly('h', 'i');
        assertThat(elements.get(1)).containsExactly((byte) 0xff, 0, 1);
    }

    @Test
    void oneStringInputAcceptsB64InstancesAndNamedInstances() {
        String b64 = Base64.getEncoder().encodeToString("abc".getBytes(StandardCharsets.UTF_8));
        Tensor s = decode("{\"instances\":[{\"b64\":\"" + b64 + "\"},\"d\"]}", STRINGS)
                .request()
                .inputs()
                .get(0);
        assertThat(s.strings()).containsExactly("abc", "d");
        Tensor named = decode("{\"instances\":[{\"s\":\"q\"}]}", STRINGS)
                .request()
                .inputs()
                .get(0);
        assertThat(named.strings()).containsExactly("q");
    }

    @Test
    void columnarFormatTakesAValueOrAnObjectOfValues() {
        TfPredictDecoder.Decoded single = decode("{\"inputs\":[[1,2],[3,4],[5,6]]}", ONE);
        assertThat(single.rowFormat()).isFalse();
        assertThat(single.request().inputs().get(0).shape()).isEqualTo(Shape.of(3, 2));
        assertThat(single.request().inputs().get(0).floats()).containsExactly(1, 2, 3, 4, 5, 6);
        TfPredictDecoder.Decoded named = decode("{\"inputs\":{\"s\":[[\"u\"]],\"a\":[9]}}", TWO);
        assertThat(named.request().inputs()).extracting(Tensor::name).containsExactly("s", "a");
        assertThat(named.request().inputs().get(1).longs()).containsExactly(9L);
    }

    @Test
    void rejectsBadPredictBodiesNamingWhatWasWrong() {
        assertThatThrownBy(() -> decode("{\"instances\":[[1,2],[3]]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("ragged");
        assertThatThrownBy(() -> decode("{\"instances\":[{\"a\":1,\"zz\":[\"q\"]}]}", TWO))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'zz'")
                .hasMessageContaining("a, s");
        assertThatThrownBy(() -> decode("{\"instances\":[{\"a\":1}]}", TWO))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lacks")
                .hasMessageContaining("s");
        assertThatThrownBy(() -> decode("{\"instances\":[1]}", TWO))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("object naming each input");
        assertThatThrownBy(() -> decode("{\"signature_name\":\"other\",\"instances\":[[1,2]]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'other'")
                .hasMessageContaining("serving_default");
        assertThatThrownBy(() -> decode("{\"instances\":[[1,2]],\"inputs\":[[1,2]]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("both");
        assertThatThrownBy(() -> decode("{\"instance\":[[1,2]]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'instances'")
                .hasMessageContaining("'inputs'");
        assertThatThrownBy(() -> decode("{\"instances\":[[\"a\",2]]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("number");
        assertThatThrownBy(() -> decode("{\"instances\":[{\"b64\":\"***\"}]}", STRINGS))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("base64");
    }

    @Test
    void aPreviousAnswerIsReadAsRowsTheWayKServesRouterPassesItOn() {
        // KServe's InferenceGraph Sequence posts step 1's answer unchanged ("data": "$response") to step 2
        byte[] answer = TfServingJson.predict(
                new InferResponse(
                        null,
                        "m",
                        1,
                        List.of(Tensor.ofFloats("y", Shape.of(2, 2), new float[] {0.5f, 1, -2, 3})),
                        Map.of()),
                true);
        TfPredictDecoder.Decoded d = TfPredictDecoder.decode(answer, ONE, "next", OptionalLong.empty());
        assertThat(d.rowFormat()).isTrue();
        assertThat(d.request().inputs().get(0).name()).isEqualTo("x");
        assertThat(d.request().inputs().get(0).shape()).isEqualTo(Shape.of(2, 2));
        assertThat(d.request().inputs().get(0).floats()).containsExactly(0.5f, 1, -2, 3);
        // several outputs arrive as one object per row, read by name like named instances
        Tensor named = decode("{\"predictions\":[{\"a\":5,\"s\":[\"hi\"]}]}", TWO)
                .request()
                .inputs()
                .get(0);
        assertThat(named.name()).isEqualTo("a");

        assertThatThrownBy(() -> decode("{\"instances\":[[1,2]],\"predictions\":[[1,2]]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("both 'instances' and 'predictions'");
        assertThatThrownBy(() -> decode("{\"predictions\":[[1,2]],\"inputs\":[[1,2]]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("both 'predictions' and 'inputs'");
        assertThatThrownBy(() -> decode("{\"predictions\":[]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'predictions' is empty");
        assertThatThrownBy(() -> decode("{\"predictions\":{\"x\":1}}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'predictions' to be a list");
        assertThatThrownBy(() -> decode("{\"outputs\":[[1,2]]}", ONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'instances'")
                .hasMessageContaining("'inputs'");
    }

    @Test
    void encodesPredictionsPerInstanceAndColumnarOutputs() {
        Tensor y = Tensor.ofFloats("y", Shape.of(2, 2), 0.5f, Float.NaN, Float.POSITIVE_INFINITY, -1f);
        Tensor b = Tensor.ofLongs("b", Shape.of(2), 7, 8);
        String row = new String(
                TfServingJson.predict(new InferResponse(null, "m", 1, List.of(y), Map.of()), true),
                StandardCharsets.UTF_8);
        assertThat(row).isEqualTo("{\"predictions\":[[0.5,NaN],[Infinity,-1.0]]}");
        String rowMulti = new String(
                TfServingJson.predict(new InferResponse(null, "m", 1, List.of(b, y), Map.of()), true),
                StandardCharsets.UTF_8);
        assertThat(rowMulti).isEqualTo("{\"predictions\":[{\"b\":7,\"y\":[0.5,NaN]},{\"b\":8,\"y\":[Infinity,-1.0]}]}");
        String col = new String(
                TfServingJson.predict(new InferResponse(null, "m", 1, List.of(y), Map.of()), false),
                StandardCharsets.UTF_8);
        assertThat(col).isEqualTo("{\"outputs\":[[0.5,NaN],[Infinity,-1.0]]}");
        String colMulti = new String(
                TfServingJson.predict(new InferResponse(null, "m", 1, List.of(b, y), Map.of()), false),
                StandardCharsets.UTF_8);
        assertThat(colMulti).isEqualTo("{\"outputs\":{\"b\":[7,8],\"y\":[[0.5,NaN],[Infinity,-1.0]]}}");
    }

    @Test
    void writesStringOutputsAsTextOrB64LikeTfServing() {
        Tensor text = Tensor.ofStrings("t", Shape.of(1), "ok");
        Tensor named = Tensor.ofStrings("img_bytes", Shape.of(1), "ok");
        Tensor binary = new Tensor(
                "t", DataType.BYTES, Shape.of(1), new dev.pier.api.TensorData.Strings(List.of(new byte[] {(byte) 0xff
                })));
        assertThat(new String(
                        TfServingJson.predict(new InferResponse(null, "m", 1, List.of(text), Map.of()), true),
                        StandardCharsets.UTF_8))
                .isEqualTo("{\"predictions\":[\"ok\"]}");
        assertThat(new String(
                        TfServingJson.predict(new InferResponse(null, "m", 1, List.of(named), Map.of()), true),
                        StandardCharsets.UTF_8))
                .isEqualTo("{\"predictions\":[{\"b64\":\"b2s=\"}]}");
        assertThat(new String(
                        TfServingJson.predict(new InferResponse(null, "m", 1, List.of(binary), Map.of()), true),
                        StandardCharsets.UTF_8))
                .isEqualTo("{\"predictions\":[{\"b64\":\"/w==\"}]}");
    }

    @Test
    void encodesStatusAndMetadataInTfServingShapes() {
        String status = new String(
                TfServingJson.status(List.of(
                        new ModelVersionStatus("m", 2, ModelState.AVAILABLE, ""),
                        new ModelVersionStatus("m", 1, ModelState.FAILED, "bad file"))),
                StandardCharsets.UTF_8);
        assertThat(status)
                .isEqualTo(
                        "{\"model_version_status\":["
                                + "{\"version\":\"2\",\"state\":\"AVAILABLE\",\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}},"
                                + "{\"version\":\"1\",\"state\":\"END\",\"status\":{\"error_code\":\"UNKNOWN\",\"error_message\":\"bad file\"}}]}");
        String meta = new String(
                TfServingJson.metadata(new ModelMetadata(
                        "m",
                        2,
                        List.of(2L),
                        "onnxruntime_onnx",
                        new ModelSignature(
                                List.of(new TensorSpec("x", DataType.FP32, Shape.of(-1, 784))),
                                List.of(new TensorSpec("y", DataType.INT64, Shape.of(-1)))),
                        Map.of())),
                StandardCharsets.UTF_8);
        assertThat(meta)
                .isEqualTo(
                        "{\"model_spec\":{\"name\":\"m\",\"signature_name\":\"\",\"version\":\"2\"},"
                                + "\"metadata\":{\"signature_def\":{\"signature_def\":{\"serving_default\":{"
                                + "\"inputs\":{\"x\":{\"dtype\":\"DT_FLOAT\",\"tensor_shape\":{\"dim\":[{\"size\":\"-1\",\"name\":\"\"},"
                                + "{\"size\":\"784\",\"name\":\"\"}],\"unknown_rank\":false},\"name\":\"x\"}},"
                                + "\"outputs\":{\"y\":{\"dtype\":\"DT_INT64\",\"tensor_shape\":{\"dim\":[{\"size\":\"-1\",\"name\":\"\"}],"
                                + "\"unknown_rank\":false},\"name\":\"y\"}},\"method_name\":\"tensorflow/serving/predict\"}}}}}");
    }
}
