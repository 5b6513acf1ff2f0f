/**
 * The output formats, one class each: {@code results.json}, {@code junit.xml}, {@code summary.md}, the
 * self-contained {@code report.html} and {@code results.csv}, and a benchmark's {@code results.json} and HTML
 * report and its HdrHistogram interval log ({@code latency.hlog}); each written all-or-nothing, and re-rendered from a run folder without calling any API.
 *
 * <p>Exports {@link dev.sonde.report.Reports} (every format from the run's one pass, or re-rendered), {@link
 * dev.sonde.report.RunFiles}, {@link dev.sonde.report.BenchmarkResults}, {@link dev.sonde.report.LoadReport}, {@link dev.sonde.report.IntervalLogs} and
 * {@link dev.sonde.report.CacheVariantsMarkdown}. Depends on {@code migration}, {@code baseline}, {@code analysis},
 * {@code run}, {@code journal}, {@code check}, {@code stats} and {@code metrics}; never on {@code suite}.
 */
package dev.sonde.report;
