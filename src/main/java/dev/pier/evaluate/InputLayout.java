package dev.pier.evaluate;

/**
 * How images are laid out in the model's input tensor. {@link #AUTO} reads it from the declared input
 * shape: rank 2 {@code [N, H·W]} is {@link #FLAT}, rank 4 with the channel first {@code [N, 1, H, W]} is
 * {@link #NCHW} and with the channel last {@code [N, H, W, 1]} is {@link #NHWC}.
 */
public enum InputLayout {
    AUTO,
    FLAT,
    NCHW,
    NHWC
}
