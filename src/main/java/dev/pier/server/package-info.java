/**
 * Composition root of {@code pier serve}: wires the repository source, the serving core and the protocol
 * front-ends onto Vert.x servers. No protocol or model logic lives here.
 */
package dev.pier.server;
