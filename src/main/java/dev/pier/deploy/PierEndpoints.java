package dev.pier.deploy;

/**
 * The network contract of {@code pier serve} that manifests point at: ports, health paths, metrics path and
 * where the image keeps its model repository. Constants only.
 */
public final class PierEndpoints {
    /** KServe V2 / TF Serving REST port (TF Serving's REST default, so clients carry over). */
    public static final int REST_PORT = 8501;
    /** KServe V2 gRPC port (TF Serving's gRPC default). */
    public static final int GRPC_PORT = 8500;

    public static final String LIVE_PATH = "/v2/health/live";
    public static final String READY_PATH = "/v2/health/ready";
    public static final String METRICS_PATH = "/metrics";
    /** Where the model repository lives inside the container (baked in, or mounted there). */
    public static final String MODELS_DIR = "/models";
    /** The non-root uid/gid the image runs as; numeric so {@code runAsNonRoot} can be verified by the kubelet. */
    public static final long USER_ID = 10001;

    public static final String REST_PORT_NAME = "http";
    public static final String GRPC_PORT_NAME = "grpc";

    private PierEndpoints() {}
}
