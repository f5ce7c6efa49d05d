/**
 * The report format drills and incidents share: measured objectives, a timeline of marks against
 * targets, controller events, a sign-off, and their Markdown, HTML and SVG forms. Pure text
 * building; {@code chaos} renders drill reports with it, the controllers incident reports.
 */
package io.pharos.core.report;
