/**
 * Quantization as ONNX graph rewrites that ONNX Runtime runs with integer kernels: dynamic
 * ({@code DynamicQuantizeLinear} + {@code MatMulInteger}) and static QDQ ({@code QuantizeLinear} /
 * {@code DequantizeLinear} pairs with activation ranges calibrated on real data).
 */
package dev.pier.compress.quantize;
