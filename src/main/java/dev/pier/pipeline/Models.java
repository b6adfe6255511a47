package dev.pier.pipeline;

/** File names the stages agree on. */
final class Models {
    static final String MODEL = "model.onnx";
    static final String PROFILE = "profile.json";
    static final String LINEAGE = "lineage.json";

    private Models() {}
}
