package dev.sonde.report;

import java.io.IOException;
import java.io.Writer;
import org.unbescape.html.HtmlEscape;

/**
 * The rows of the HTML report's case table ({@link CaseTable}), written straight into the page.
 * Up to {@value CaseTable#MAX_ROWS} rows of a few dozen fields each were most of the time the
 * template engine took over a large run (0.9 s of a 1.2 s page at 5,000 cases, each field an
 * expression evaluated apart); the same markup written here takes a few milliseconds. The rest of
 * the page stays in the template. Every text is escaped as the template escapes it
 * ({@link HtmlEscape#escapeHtml4Xml}).
 */
final class CaseRows {
    private CaseRows() {}

    /**
     * Writes every row of {@code table} to {@code out}, as the template's {@code <tbody>} holds them,
     * one row at a time: a thousand rows are ~5 MB of markup, and a page built as one string held it
     * two or three times over (a builder, its growth, the string), in arrays large enough to go
     * straight to the old generation.
     */
    static void write(CaseTable.Table table, Writer out) throws IOException {
        StringBuilder row = new StringBuilder(8_192);
        for (CaseTable.Row r : table.rows()) {
            row.setLength(0);
            row(row, r);
            out.append(row);
        }
    }

    private static void row(StringBuilder out, CaseTable.Row r) {
        out.append("        <tr class=\"case ").append(e(r.status())).append('"');
        attr(out, "data-case", r.caseId());
        attr(out, "data-order", Integer.toString(r.order()));
        attr(out, "data-status", r.status());
        attr(out, "data-severity", Integer.toString(r.severity()));
        attr(out, "data-failed-models", r.failedModels());
        attr(out, "data-checks", r.checks());
        attr(out, "data-failed-checks", r.failedChecks());
        attr(out, "data-ttft", r.sortTtft());
        attr(out, "data-cost", r.sortCost());
        out.append(">\n          <td class=\"casecell\"><span>").append(e(r.caseId())).append("</span><div class=\"checks-list\">")
                .append(e(r.checks())).append("</div>");
        if (!r.compared().isEmpty()) {
            out.append("<div class=\"compare\">").append(e(r.compared())).append("</div>");
        }
        out.append("</td>\n");
        for (CaseTable.Cell c : r.cells()) {
            cell(out, c);
        }
        out.append("        </tr>\n");
    }

    private static void cell(StringBuilder out, CaseTable.Cell c) {
        out.append("          <td class=\"cell ").append(e(c.status())).append('"');
        attr(out, "data-model", c.model());
        attr(out, "data-present", Boolean.toString(c.present()));
        attr(out, "data-status", c.status());
        out.append(">\n");
        if (!c.present()) {
            out.append("            <span class=\"muted\">not run on this model</span>\n          </td>\n");
            return;
        }
        out.append("              <div class=\"cell-head\">\n                <span class=\"status ").append(e(c.status()))
                .append("\">").append(e(c.statusLabel())).append("</span>\n");
        if (!c.counts().isEmpty()) {
            out.append("                <span>").append(e(c.counts())).append("</span>\n");
        }
        out.append("                <span>TTFT ").append(e(c.ttft())).append("</span><span>E2E ").append(e(c.e2e()))
                .append("</span>\n                <span title=\"prompt tokens (input, cache writes and cache reads) in → output tokens out\">").append(e(c.tokens())).append("</span>\n");
        if (c.unpriced()) {
            out.append("                <span class=\"unpriced\">unpriced</span>\n");
        } else {
            out.append("                <span>").append(e(c.cost())).append("</span>\n");
        }
        out.append("              </div>\n");
        if (c.repeats().size() > 1) {
            out.append("              <div class=\"strip\">");
            for (String s : c.repeats()) {
                out.append("<i class=\"").append(e(s)).append("\" title=\"").append(e(s)).append("\"></i>");
            }
            out.append("</div>\n");
        }
        if (!c.why().isEmpty()) {
            out.append("              <div class=\"why\">").append(e(c.why())).append("</div>\n");
        }
        out.append("              <pre class=\"excerpt\">").append(e(c.excerpt())).append("</pre>\n");
        if (c.detail() != null) {
            detail(out, c.detail());
        }
        out.append("          </td>\n");
    }

    private static void detail(StringBuilder out, CaseTable.Detail d) {
        out.append("              <details>\n                <summary>Request, response, usage, timings, checks</summary>\n")
                .append("                <div class=\"detail-grid\">\n");
        if (!d.error().isEmpty()) {
            out.append("                  <div><h4>Error</h4><pre>").append(e(d.error())).append("</pre></div>\n");
        }
        if (!d.checks().isEmpty()) {
            out.append("                  <div><h4>Checks</h4>\n                    <ul class=\"checks\">\n");
            for (HtmlModel.CheckView k : d.checks()) {
                String mark = !k.applicable() ? "na" : k.pass() ? "ok" : "no";
                out.append("                      <li class=\"").append(mark).append("\"><span class=\"mark ").append(mark)
                        .append("\" title=\"").append(!k.applicable() ? "not applicable" : k.pass() ? "passed" : "failed")
                        .append("\">").append(!k.applicable() ? "–" : k.pass() ? "✓" : "✗").append("</span><b>")
                        .append(e(k.type())).append("</b>");
                if (!k.score().isEmpty()) {
                    out.append("<span class=\"muted\">").append(e(" (score " + k.score() + ")")).append("</span>");
                }
                out.append(": <span>").append(e(k.reason())).append("</span></li>\n");
            }
            out.append("                    </ul>\n                  </div>\n");
        }
        out.append("                  <div><h4>Request</h4>\n                    <dl class=\"kv\"><dt>trial</dt><dd><code>")
                .append(e(d.trialId())).append("</code></dd><dt>model id</dt><dd><code>").append(e(d.modelId()))
                .append("</code></dd>\n                      <dt>request id</dt><dd><code>").append(e(d.requestId()))
                .append("</code></dd><dt>waits</dt><dd>").append(e(d.waits()))
                .append("</dd>\n                      <dt>attempts</dt><dd>");
        for (String a : d.attempts()) {
            out.append("<div>").append(e(a)).append("</div>");
        }
        out.append("</dd></dl>\n");
        if (!d.request().isEmpty()) {
            out.append("                    <pre>").append(e(d.request())).append("</pre>\n");
        }
        out.append("                    <div class=\"muted\">").append(e(d.requestNote())).append("</div></div>\n")
                .append("                  <div><h4>Response</h4><pre>").append(e(d.response()))
                .append("</pre>\n                    <div class=\"muted\">").append(e("stop reason " + d.stopReason()))
                .append("</div></div>\n");
        if (!d.toolCalls().isEmpty()) {
            out.append("                  <div><h4>Tool calls</h4><pre>").append(e(d.toolCalls())).append("</pre></div>\n");
        }
        if (!d.turns().isEmpty()) {
            out.append("                  <div><h4>Turns</h4>\n                    <table class=\"lat turns\"><thead><tr><th>turn</th>"
                    + "<th>TTFT</th><th>E2E</th><th>tokens in → out</th><th>cost</th><th>stop</th><th>tool calls</th></tr>"
                    + "</thead>\n                      <tbody>");
            for (TurnRows.TurnView t : d.turns()) {
                out.append("<tr><td>").append(e(t.turn())).append("</td><td>").append(e(t.ttft())).append("</td><td>")
                        .append(e(t.e2e())).append("</td><td>").append(e(t.tokens())).append("</td><td>")
                        .append(e(t.cost())).append("</td><td>").append(e(t.stopReason()))
                        .append("</td><td class=\"tools\">").append(e(t.tools())).append("</td></tr>");
            }
            out.append("</tbody></table>\n                    <div class=\"muted\">Timings below are the last turn's; tokens and"
                    + " cost are the trial's, summed over its turns.</div></div>\n");
        }
        out.append("                  <div><h4>Usage</h4><pre>").append(e(d.usage())).append("</pre></div>\n");
        if (!d.timings().isEmpty()) {
            out.append("                  <div><h4>Timings</h4>\n                    <dl class=\"kv\">");
            for (String[] tm : d.timings()) {
                out.append("<dt>").append(e(tm[0])).append("</dt><dd>").append(e(tm[1])).append("</dd>");
            }
            out.append("</dl></div>\n");
        }
        out.append("                </div>\n              </details>\n");
    }

    /** An attribute as the template's {@code th:attr} writes it: left out when its value is empty. */
    private static void attr(StringBuilder out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.append(' ').append(name).append("=\"").append(e(value)).append('"');
        }
    }

    private static String e(String text) {
        return text == null ? "" : HtmlEscape.escapeHtml4Xml(text);
    }
}
