/**
 * KServe V2 / Open Inference Protocol over REST: JSON and binary-tensor-extension codecs and the Vert.x
 * routes for health, server and model metadata, readiness and inference.
 */
package dev.pier.protocol.kserve;
