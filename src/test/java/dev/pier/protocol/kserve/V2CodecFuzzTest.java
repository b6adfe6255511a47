package dev.pier.protocol.kserve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pier.protocol.FuzzProperty;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the KServe V2 REST request decoder. In a plain {@code mvn test} Jazzer only replays
 * the seed corpus under {@code V2CodecFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} it mutates for at most
 * {@code maxDuration}. Property: {@link FuzzProperty#decodesOrRefuses}.
 */
class V2CodecFuzzTest {

    /** The whole body is JSON (no Inference-Header-Content-Length header). */
    @FuzzTest(maxDuration = "60s", maxExecutions = 5_000_000)
    @Timeout(value = 10, unit = TimeUnit.SECONDS) // per input: Jazzer turns it into libFuzzer's -timeout (a hang)
    void jsonRequest(byte[] body) {
        FuzzProperty.decodesOrRefuses(() -> V2Codec.decodeRequest(body, -1, "m", OptionalLong.empty()));
    }

    /**
     * Binary tensor extension: the first 4 bytes (little-endian int, any value including negative or beyond the
     * body) are the Inference-Header-Content-Length header, the rest is the body: JSON header plus binary part.
     */
    @FuzzTest(maxDuration = "60s", maxExecutions = 5_000_000)
    @Timeout(value = 10, unit = TimeUnit.SECONDS) // per input: Jazzer turns it into libFuzzer's -timeout (a hang)
    void binaryRequest(byte[] input) {
        if (input.length < 4) {
            return;
        }
        int headerLength =
                ByteBuffer.wrap(input, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] body = Arrays.copyOfRange(input, 4, input.length);
        FuzzProperty.decodesOrRefuses(() -> V2Codec.decodeRequest(body, headerLength, "m", OptionalLong.of(1)));
    }
}
