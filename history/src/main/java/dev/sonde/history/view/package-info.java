/**
 * {@code sonde view}: the local, read-only web viewer of a history store (issue 25). A Jetty server
 * on 127.0.0.1 ({@link dev.sonde.history.view.ViewServer}) serves the runs list with filters, a
 * suite's trend charts (the report's {@code LinePlot}s and chart fragment), the diff of two runs
 * (trial states, verdict flips, one-sided trials, outputs and tool calls word by word, per-case
 * latency and cost changes) and each run's {@code report.html} as the run wrote it (no other file of
 * a run folder). Pages are Thymeleaf templates that escape every value and carry no script; the store is read
 * through the {@code HistoryStore} SPI for each page and never held open between pages.
 */
package dev.sonde.history.view;
