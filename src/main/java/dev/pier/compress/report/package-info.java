/** Self-contained HTML pages for compression reports and automatic compression searches. */
package dev.pier.compress.report;
