/**
 * Quantization as ONNX graph rewrites that ONNX Runtime runs with integer kernels: dynamic
 * ({@code DynamicQuantizeLinear} + {@code MatMulInteger}), static QDQ ({@code QuantizeLinear} /
 * {@code DequantizeLinear} pairs) or QOperator ({@code QLinearConv} / {@code QLinearMatMul}) with activation
 * ranges calibrated on real data (min-max, percentile or entropy), and fp16 conversion with FP32 edges.
 */
package dev.pier.compress.quantize;
