/**
 * Which version answers a request that names none: weighted traffic splitting between versions (a canary
 * without a service mesh) and shadow traffic, configured per model in config.yaml.
 */
package dev.pier.routing;
