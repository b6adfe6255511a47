/**
 * Tensor codecs shared by the protocols: streaming JSON element reading and writing (flat and nested),
 * and the raw little-endian layout (with 4-byte length prefixes for BYTES) used by the V2 binary
 * extension and gRPC {@code raw_*_contents}. No HTTP or gRPC here.
 */
package dev.pier.protocol.codec;
