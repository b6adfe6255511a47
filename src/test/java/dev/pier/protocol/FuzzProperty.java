package dev.pier.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.InferRequest;
import dev.pier.api.PierException;
import java.util.function.Supplier;

/**
 * The property every protocol fuzz test checks: an input either decodes into a well-formed {@link InferRequest}
 * or is refused with a client error (a {@link PierException} or {@link ProtocolException} that
 * {@link ErrorMapper} maps to a 4xx). Any other exception or error escapes and fails the fuzz run, which is
 * what makes Jazzer record the input as a crash. Stateless.
 *
 * <p>Plain {@code mvn test} replays only the seed corpus ({@code src/test/resources/.../*FuzzTestInputs/<method>/}).
 * To fuzz one target for its {@code maxDuration} (one target per JVM):
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='V2CodecFuzzTest#jsonRequest' -Djunit.jupiter.execution.timeout.mode=disabled}.
 * The last flag is needed because JUnit would otherwise apply the per-input {@code @Timeout} to the whole
 * fuzzing run (jazzer issue #1060). New crash inputs land in the seed directory: fix the bug, keep the file.
 */
public final class FuzzProperty {
    private FuzzProperty() {}

    public static void decodesOrRefuses(Supplier<InferRequest> decode) {
        InferRequest request;
        try {
            request = decode.get();
        } catch (PierException | ProtocolException e) {
            int status = ErrorMapper.httpStatus(e);
            assertThat(status).as("status for %s", e).isBetween(400, 499);
            assertThat(ErrorMapper.message(e))
                    .as("message for %s", e.getClass())
                    .isNotBlank();
            return;
        }
        assertThat(request).isNotNull();
        assertThat(request.inputs()).allSatisfy(t -> {
            assertThat(t.name()).isNotNull();
            // a decoded request is concrete: no dynamic (-1) dims reach the serving core
            assertThat(java.util.Arrays.stream(t.shape().toArray()).allMatch(d -> d >= 0))
                    .as("concrete shape of %s: %s", t.name(), t.shape())
                    .isTrue();
        });
    }
}
