package dev.pier.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.DeadlineExceededException;
import dev.pier.api.InternalException;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ResourceExhaustedException;
import dev.pier.api.UnavailableException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    @Test
    void mapsEveryTypedErrorToTheDocumentedHttpAndGrpcStatus() {
        assertThat(ErrorMapper.httpStatus(new InvalidInputException("x"))).isEqualTo(400);
        assertThat(ErrorMapper.httpStatus(new ModelNotFoundException("x"))).isEqualTo(404);
        assertThat(ErrorMapper.httpStatus(new UnavailableException("x"))).isEqualTo(503);
        assertThat(ErrorMapper.httpStatus(new DeadlineExceededException("x"))).isEqualTo(504);
        assertThat(ErrorMapper.httpStatus(new ResourceExhaustedException("x"))).isEqualTo(507);
        assertThat(ErrorMapper.httpStatus(new InternalException("x"))).isEqualTo(500);
        assertThat(ErrorMapper.httpStatus(new ProtocolException(415, "x"))).isEqualTo(415);
        assertThat(ErrorMapper.httpStatus(new IllegalStateException("bug"))).isEqualTo(500);

        assertThat(ErrorMapper.grpcStatus(new InvalidInputException("x"))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(ErrorMapper.grpcStatus(new ModelNotFoundException("x"))).isEqualTo(GrpcStatus.NOT_FOUND);
        assertThat(ErrorMapper.grpcStatus(new UnavailableException("x"))).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(ErrorMapper.grpcStatus(new DeadlineExceededException("x"))).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
        assertThat(ErrorMapper.grpcStatus(new ResourceExhaustedException("x")))
                .isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        assertThat(ErrorMapper.grpcStatus(new InternalException("x"))).isEqualTo(GrpcStatus.INTERNAL);
    }

    @Test
    void unwrapsStageWrappersAndWritesTheErrorJson() throws Exception {
        CompletionException wrapped = new CompletionException(new ModelNotFoundException("no model 'a\"b'"));
        assertThat(ErrorMapper.httpStatus(wrapped)).isEqualTo(404);
        assertThat(ErrorMapper.message(wrapped)).isEqualTo("no model 'a\"b'");
        var tree = new ObjectMapper().readTree(ErrorMapper.errorJson(wrapped));
        assertThat(tree.size()).isEqualTo(1);
        assertThat(tree.get("error").asText()).isEqualTo("no model 'a\"b'");
    }

    @Test
    void mapsStatusesBackToTypedErrorsForClients() {
        assertThat(ErrorMapper.fromHttp(404, "m"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessage("m");
        assertThat(ErrorMapper.fromHttp(413, "m")).isInstanceOf(InvalidInputException.class);
        assertThat(ErrorMapper.fromHttp(502, "m"))
                .isInstanceOf(InternalException.class)
                .hasMessageContaining("502");
        assertThat(ErrorMapper.fromGrpc(GrpcStatus.UNAVAILABLE, "m")).isInstanceOf(UnavailableException.class);
    }

    /** Issue 14 item 7: server file paths never reach a client; what is left names the model and version. */
    @org.junit.jupiter.api.Test
    void serverPathsAreCutFromClientMessages() {
        String m = ErrorMapper.message(new dev.pier.api.InternalException(
                "cannot load /srv/pier/models/mlp/3/model.onnx: bad graph; also C:\\data\\repo\\m\\1\\model.onnx"));
        org.assertj.core.api.Assertions.assertThat(m)
                .contains("mlp/3/model.onnx", "m\\1\\model.onnx")
                .doesNotContain("/srv", "C:\\data");
        org.assertj.core.api.Assertions.assertThat(ErrorMapper.message(new dev.pier.api.InvalidInputException(
                        "no endpoint POST /v2/models/x/infer; file models/mlp/1/model.onnx")))
                .isEqualTo("no endpoint POST /v2/models/x/infer; file models/mlp/1/model.onnx");
    }
}
