package dev.pier.api;

/** Declared name, type and shape of a model input or output; {@code -1} in the shape is a dynamic dimension. */
public record TensorSpec(String name, DataType datatype, Shape shape) {}
