package dev.pier.protocol.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
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
            CodedInputStream in = input(msg.payload());
            T message = (T) prototype.getParserForType().parseFrom(in);
            in.checkLastTagWas(0); // as parseFrom(byte[]) checks: no stray end-group tag at the top level
            return new Decoded<>(message, null);
        } catch (InvalidProtocolBufferException e) {
            return new Decoded<>(
                    null,
                    "the request is not a valid "
                            + prototype.getDescriptorForType().getFullName() + " protobuf message: " + e.getMessage());
        }
    }

    /**
     * The message bytes where the gRPC server holds them, with aliasing: {@code bytes} fields (V2
     * {@code raw_input_contents}, TF Serving's {@code tensor_content}) become views of the payload instead of
     * copies, and the payload itself is not copied out of its buffer first. Safe because the gRPC server hands
     * each message over in a heap buffer of its own (a copy of the received HTTP/2 data, or a slice of it) whose
     * bytes are never written again; a buffer without an accessible array is copied once.
     */
    static CodedInputStream input(Buffer payload) {
        ByteString bytes = null;
        if (payload instanceof BufferInternal internal) {
            ByteBuf buf = internal.getByteBuf();
            if (buf.hasArray()) {
                bytes = UnsafeByteOperations.unsafeWrap(
                        buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            }
        }
        if (bytes == null) {
            bytes = UnsafeByteOperations.unsafeWrap(payload.getBytes());
        }
        CodedInputStream in = bytes.newCodedInput();
        in.enableAliasing(true);
        return in;
    }

    @Override
    public boolean accepts(WireFormat format) {
        return format == WireFormat.PROTOBUF;
    }
}
