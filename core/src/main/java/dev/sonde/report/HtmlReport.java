package dev.sonde.report;

import dev.sonde.analysis.CacheVariantReport;
import dev.sonde.analysis.RunVerdict;
import dev.sonde.baseline.Baselines;
import dev.sonde.analysis.CaseScan;
import dev.sonde.baseline.Comparison;
import dev.sonde.migration.ModelComparison;
import dev.sonde.journal.AtomicFile;
import dev.sonde.analysis.Aggregates;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * {@code report.html}: the human-readable report, rendered with Thymeleaf from
 * {@code dev/sonde/report/report.html} on the classpath. Guarantees:
 *
 * <ul>
 *   <li>self-contained: one file with inline CSS, inline SVG charts and one inline script
 *       ({@code report.js}: filters, sort, pages); its Content-Security-Policy allows exactly that
 *       script (by its SHA-256) and nothing external — no other script, no inline event handler,
 *       no font, image, stylesheet or connection — so it renders the same offline from
 *       {@code file://} as from a CI artifact, and without the script every row still shows;
 *   <li>every value from the run (suite name, case ids, output text, reasons, usage) is escaped
 *       by Thymeleaf ({@code th:text}/{@code th:attr}), so model output cannot inject markup or
 *       script — but a migration recommendation, escaped by {@link Text#codeSpans} before its
 *       {@code `code`} spans become {@code <code>}; the script reads only {@code data-*}
 *       attributes and writes only text;
 *   <li>says loudly whether the run was LIVE or on the EMULATOR, and shows "unpriced" instead of
 *       $0 where no price was known;
 *   <li>sections: header (suite, endpoint, versions, git commit, seed, verdict), summary cards,
 *       the cache placement table of a suite with variants ({@link CacheVariantsView}),
 *       charts ({@link Charts}; a cache-placement run's charts are per variant instead,
 *       {@link CacheVariantCharts}, as one line per model would lump every variant together),
 *       the baseline comparison ({@link BaselineHtml}), model cards, and
 *       the case table ({@link CaseTable}: models side by side, at most
 *       {@value CaseTable#MAX_ROWS} cases, failures first when cut).
 * </ul>
 *
 * The journal is streamed once ({@link CaseScan}); memory grows with models and cases, not trials.
 * The engine is thread-safe and shared, and made when the first page is written — not when a run
 * that will write one starts.
 */
final class HtmlReport implements ReportFormat {
    static final String FILE = "report.html";
    private static final String TEMPLATE = "report";
    /** Where the rendered page gets its case rows ({@link Splice}): written by the template, never by a run's text, which it escapes. */
    private static final String ROWS_MARKER = "<!--sonde:case-rows-->";

    /** The template engine and the page's script, loaded at the first page written. */
    static final class Engine {
        static final TemplateEngine ENGINE = engine();
        static final String SCRIPT = resource("dev/sonde/report/report.js");
        /** The CSP source that allows {@link #SCRIPT} and no other script. */
        static final String SCRIPT_HASH = "'sha256-" + sha256(SCRIPT) + "'";

        private Engine() {}
    }

    HtmlReport() {}

    @Override
    public String file() {
        return FILE;
    }

    @Override
    public Path write(RunReport r, Path file) throws IOException {
        return write(r.run(), r.comparison(), r.aggregates(), r.models(), r.readings(), file);
    }

    private static TemplateEngine engine() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(HtmlReport.class.getClassLoader());
        resolver.setPrefix("dev/sonde/report/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resolver.setCacheable(true);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        RecordProperties.install();
        return engine;
    }

    static Path write(RunResult run, Path file) throws IOException {
        return write(run, null, null, file);
    }

    /**
     * @param comparison shown as the "Baseline" section when not null
     * @param aggregates per model and case (cost by kind, cache per case); null leaves those charts empty
     */
    static Path write(RunResult run, Comparison comparison, Aggregates.Snapshot aggregates, Path file)
            throws IOException {
        return write(run, comparison, aggregates, null, Readings.of(run, true, Baselines.defaultPricing()), file);
    }

    /** @param models shown as the "Model migration" section ({@link MigrationView}) when not null */
    static Path write(RunResult run, Comparison comparison, Aggregates.Snapshot aggregates, ModelComparison models,
            Readings readings, Path file) throws IOException {
        CaseScan scan = readings.scan;
        Provenance provenance = readings.provenance != null ? readings.provenance
                : Provenance.of(run.info(), run.outDir());
        CaseTable.Table table = CaseTable.of(scan, provenance, readings.analysis.compared());
        Context ctx = new Context();
        ctx.setVariable("baseline", BaselineHtml.of(comparison));
        ctx.setVariable("migration", MigrationView.of(models, run.info().platforms()));
        ctx.setVariable("run", HtmlModel.header(run, readings.summary, comparison, provenance, readings.skipped,
                RunVerdict.of(readings.summary, run, models != null)));
        ctx.setVariable("models", HtmlModel.cards(run, readings.summary));
        Optional<CacheVariantReport> variants = readings.cacheVariants();
        ctx.setVariable("charts", variants.map(CacheVariantCharts::all).orElseGet(() -> Charts.all(scan, aggregates)));
        ctx.setVariable("table", table);
        ctx.setVariable("tableRows", ROWS_MARKER);
        ctx.setVariable("cacheVariants", variants.map(CacheVariantsView::of).orElse(null));
        ctx.setVariable("checkTypes", CaseTable.checkTypes(scan));
        ctx.setVariable("graderCost", readings.grader.line());
        ctx.setVariable("filler", readings.filler.line());
        ctx.setVariable("script", Engine.SCRIPT);
        ctx.setVariable("csp", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src "
                + Engine.SCRIPT_HASH + "; base-uri 'none'; form-action 'none'");
        return AtomicFile.write(file, out -> {
            Splice page = new Splice(out, ROWS_MARKER, rows -> CaseRows.write(table, rows));
            Engine.ENGINE.process(TEMPLATE, ctx, page);
            page.close();
            if (page.inserted() != 1) {
                throw new IllegalStateException("the report template placed the case rows " + page.inserted() + " times");
            }
        });
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
