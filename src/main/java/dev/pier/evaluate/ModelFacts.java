package dev.pier.evaluate;

import java.nio.file.Path;

/**
 * Static facts about a model file that need no session: how many weights it stores. Thread-safe.
 */
final class ModelFacts {

    private ModelFacts() {
    }

    /** Number of parameters (elements of all initializers); -1 until the ONNX reader lands. */
    static long parameterCount(Path model) {
        return -1;
    }
}
