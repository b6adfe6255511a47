/**
 * Who may call the server and over what: bearer tokens for inference and for the repository (management)
 * API, and TLS from PEM files for REST and gRPC.
 */
package dev.pier.security;
