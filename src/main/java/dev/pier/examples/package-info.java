/** Example models built with Pier's ONNX writer, for the demo and the benchmarks. */
package dev.pier.examples;
