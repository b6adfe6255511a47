/**
 * Kubernetes and KServe deployment of a Pier image: manifests built from fabric8's typed models (never string
 * templates), written as YAML files, optionally applied to a cluster with the fabric8 client, and sized from a
 * measured per-replica capacity ({@link dev.pier.deploy.CapacitySizing}). The server's ports and paths are fixed
 * facts ({@link dev.pier.deploy.PierEndpoints}); everything else comes from option records with documented
 * defaults.
 */
package dev.pier.deploy;
