/** Load generation and measurement: the in-process baseline and the clients that drive a running server. */
package dev.pier.bench;
