/**
 * TF Serving's version labels over REST ({@link dev.pier.routing.LabelRoutes}). Which version serves a request
 * (version policy, labels, traffic split, shadow) is resolved inside the serving core by
 * {@link dev.pier.serving.VersionResolver}, in the same pass that pins the version.
 */
package dev.pier.routing;
