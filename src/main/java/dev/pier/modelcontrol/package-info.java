/**
 * How the set of served models and versions changes while the server runs (Triton's {@code --model-control-mode}):
 * fixed at start-up, following the repository by polling, or driven explicitly through the repository API.
 */
package dev.pier.modelcontrol;
