package dev.pier.protocol.grpc;

import dev.pier.protocol.grpc.v2.ModelInferRequest;

/** The gRPC tests' way to describe one V2 input tensor: its name, datatype and shape, contents added by the test. */
final class InferInputs {
    private InferInputs() {}

    static ModelInferRequest.InferInputTensor.Builder input(String name, String type, long... shape) {
        ModelInferRequest.InferInputTensor.Builder b =
                ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(type);
        for (long d : shape) {
            b.addShape(d);
        }
        return b;
    }
}
