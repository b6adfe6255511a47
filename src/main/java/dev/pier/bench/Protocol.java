package dev.pier.bench;

/** The wire protocol a load test speaks. */
public enum Protocol {
    /** KServe V2 REST ({@code POST /v2/models/M/infer}), JSON or, with {@code --binary}, the binary extension. */
    REST,
    /** KServe V2 gRPC ({@code ModelInfer}). */
    GRPC,
    /** TF Serving REST ({@code POST /v1/models/M:predict}, row format {@code "instances"}). */
    TFSERVING
}
