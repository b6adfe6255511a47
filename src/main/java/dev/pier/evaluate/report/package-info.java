/**
 * Writers for an {@link dev.pier.evaluate.EvaluationReport}: {@link dev.pier.evaluate.report.JsonReportWriter}
 * (the figures under stable keys, for CI gates and dashboards) and
 * {@link dev.pier.evaluate.report.HtmlReportWriter} (one self-contained page: inline CSS, inline SVG charts,
 * images as PNG data URIs, no scripts and no network fetches, so it opens offline and from CI artifacts).
 * Both write atomically: a temporary file beside the target, then an atomic move.
 */
package dev.pier.evaluate.report;
