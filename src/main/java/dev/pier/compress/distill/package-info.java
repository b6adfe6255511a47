/**
 * Knowledge distillation (Hinton et al. 2015): a student network trained with DJL on the teacher's softened
 * outputs (computed by ONNX Runtime, so any ONNX teacher works) and the true labels, then exported to ONNX.
 */
package dev.pier.compress.distill;
