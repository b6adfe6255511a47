package dev.pier.protocol.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.WireFormat;

/**
 * Decodes a protobuf request without throwing: a message that does not parse becomes a {@link Decoded}
 * holding the reason, so the handler answers INVALID_ARGUMENT. (A decoder that throws makes the gRPC server
 * reset the stream, which the client sees as CANCELLED with no reason.) Stateless.
 */
public final class LenientDecoder<T extends Message> implements GrpcMessageDecoder<LenientDecoder.Decoded<T>> {
    /** Either the message or why it could not be read. */
    public record Decoded<T>(T message, String error) {}

    private final T prototype;

    public LenientDecoder(T prototype) {
        this.prototype = prototype;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Decoded<T> decode(GrpcMessage msg) {
        try {
            return new Decoded<>(
                    (T) prototype.getParserForType().parseFrom(msg.payload().getBytes()), null);
        } catch (InvalidProtocolBufferException e) {
            return new Decoded<>(
                    null,
                    "the request is not a valid "
                            + prototype.getDescriptorForType().getFullName() + " protobuf message: " + e.getMessage());
        }
    }

    @Override
    public boolean accepts(WireFormat format) {
        return format == WireFormat.PROTOBUF;
    }
}
