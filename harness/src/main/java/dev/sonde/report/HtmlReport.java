package dev.sonde.report;

import dev.sonde.baseline.Comparison;
import dev.sonde.run.RunResult;
import dev.sonde.run.TrialResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * {@code report.html}: the human-readable report, rendered with Thymeleaf from
 * {@code dev/sonde/report/report.html} on the classpath. Guarantees:
 *
 * <ul>
 *   <li>self-contained: one file, inline CSS, inline SVG, no script, no external font, image or
 *       stylesheet; a Content-Security-Policy forbids loading anything, so it renders the same
 *       offline from {@code file://} as from a CI artifact;
 *   <li>every value from the run (suite name, case ids, output text, reasons) is escaped by
 *       Thymeleaf ({@code th:text}), so model output cannot inject markup or script;
 *   <li>says loudly whether the run was LIVE or on the EMULATOR, and shows "unpriced" instead of
 *       $0 where no price was known;
 *   <li>one {@code tr.trial} per journaled trial, in journal order; each failed or errored trial
 *       has an expandable detail row (checks, error, output text up to
 *       {@value HtmlModel#MAX_OUTPUT_CHARS} characters).
 * </ul>
 *
 * Trials are streamed from the journal into the template one row at a time. The engine is
 * thread-safe and shared.
 */
final class HtmlReport {
    static final String FILE = "report.html";
    private static final String TEMPLATE = "report";
    private static final TemplateEngine ENGINE = engine();

    private HtmlReport() {}

    private static TemplateEngine engine() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(HtmlReport.class.getClassLoader());
        resolver.setPrefix("dev/sonde/report/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resolver.setCacheable(true);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }

    static Path write(RunResult run, Path file) throws IOException {
        return write(run, null, file);
    }

    /** @param comparison shown as the "Baseline" section when not null */
    static Path write(RunResult run, Comparison comparison, Path file) throws IOException {
        Context ctx = new Context();
        ctx.setVariable("baseline", BaselineHtml.of(comparison));
        ctx.setVariable("run", HtmlModel.header(run));
        ctx.setVariable("models", HtmlModel.cards(run));
        ctx.setVariable("charts", HtmlModel.charts(run));
        return OutputFile.write(file, out -> {
            try (Stream<TrialResult> trials = run.trials()) {
                Iterator<TrialResult> it = trials.iterator();
                ctx.setVariable("trials", new Iterator<HtmlModel.TrialRow>() {
                    private int index;

                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public HtmlModel.TrialRow next() {
                        return HtmlModel.row(++index, it.next());
                    }
                });
                ENGINE.process(TEMPLATE, ctx, out);
            }
        });
    }
}
