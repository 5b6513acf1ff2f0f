package dev.sonde.history.view;

import dev.sonde.report.RecordProperties;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders the viewer's pages with Thymeleaf from {@code dev/sonde/history/view/*.html}, which take
 * the report's stylesheet ({@code report/styles}) and chart fragment ({@code report/charts}), so a
 * trend chart is drawn exactly as a report's chart is. Every value is written with {@code th:text}
 * or {@code th:attr}, never unescaped. Thread-safe: the engine is shared.
 */
final class Pages {
    private static final TemplateEngine ENGINE = engine();

    private Pages() {}

    private static TemplateEngine engine() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
        resolver.setPrefix("dev/sonde/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resolver.setCacheable(true);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        RecordProperties.install();
        return engine;
    }

    /** The page {@code history/view/<name>.html} with {@code variables}, as UTF-8. */
    static byte[] render(String name, Map<String, Object> variables) {
        Context ctx = new Context();
        ctx.setVariables(variables);
        return ENGINE.process("history/view/" + name, ctx).getBytes(StandardCharsets.UTF_8);
    }
}
