package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.pier.data.LabeledData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The reference a gRPC answer is held against: TF Serving REST's answer for the same MNIST images, and raw floats. */
final class MnistRestAnswers {
    private MnistRestAnswers() {}

    /** {@code POST /v1/models/mnist:predict} with every image as a row; the 10 probabilities of each, row after row. */
    static float[] predictions(Http http, LabeledData images) throws Exception {
        Http.Answer a = http.post("/v1/models/mnist:predict", instancesBody(images));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        List<Float> out = new ArrayList<>();
        for (JsonNode row : a.json().get("predictions")) {
            row.forEach(v -> out.add(v.floatValue()));
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    /** TF Serving's row format: {@code {"instances": [[784 pixels], ...]}}, one row per image. */
    static String instancesBody(LabeledData images) {
        StringBuilder body = new StringBuilder("{\"instances\":[");
        for (int i = 0; i < images.count(); i++) {
            body.append(i == 0 ? "[" : ",[");
            for (int p = 0; p < 784; p++) {
                body.append(p == 0 ? "" : ",").append(images.features()[i * 784 + p]);
            }
            body.append(']');
        }
        return body.append("]}").toString();
    }

    /** Little-endian FP32 bytes (TensorProto.tensor_content, V2 raw contents) as floats. */
    static float[] littleEndianFloats(ByteString bytes) {
        ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
