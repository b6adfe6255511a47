/**
 * Container images of a Pier server and its models, built with Jib core (no Docker daemon): layers ordered for
 * reuse (base JRE, dependency jars, Pier's classes, then one layer per model, so updating a model re-pushes only
 * its layer), a non-root user, the serving ports, and OCI labels naming each model's versions and content digest.
 * {@link dev.pier.packaging.DockerfileWriter} writes the equivalent multi-stage Dockerfile for Docker-based builds.
 */
package dev.pier.packaging;
