package dev.sonde.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a report's text fits at the widths people open it at: for each of {@link #WIDTHS} the
 * viewport is set ({@code Emulation.setDeviceMetricsOverride}), the page is measured in the
 * browser and a full-page PNG is kept under {@code <build dir>/sonde-report/} for people to look
 * at. A problem is, with its element and the start of its text:
 *
 * <ul>
 *   <li>an element whose overflow clips or scrolls sideways ({@code overflow-x} not visible) with
 *       content wider than its box ({@code scrollWidth > clientWidth + 1}): a table cut off at the
 *       card's edge, a value cut mid-word;
 *   <li>a line of text (a text node's client rects) reaching outside its card, KPI tile or chart
 *       ({@code .panel}) by more than a pixel: text spilling over the border;
 *   <li>an SVG label outside its chart's drawing area (an SVG clips what lies outside it).
 * </ul>
 *
 * Hidden elements (a closed {@code <details>}, a filtered-out row) have no boxes and are not
 * measured.
 */
public final class Layout {
    /** The widths a page is laid out at, in CSS pixels. */
    public static final int[] WIDTHS = {1280, 1440, 1920};

    /** The measurement, run in the page; returns one line per problem. */
    private static final String PROBLEMS = """
            (() => {
              const out = [];
              const where = e => {
                let s = e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
                const home = e.closest('[data-kpi],[data-chart],[data-variant],[data-candidate],article.card,'
                    + 'section[aria-label],section.step,header');
                if (home && home !== e) {
                  const name = ['kpi', 'chart', 'variant', 'candidate'].map(k => home.dataset[k]).find(v => v);
                  s = home.tagName.toLowerCase() + (name ? '[' + name + ']' : '.' + [...home.classList].join('.'))
                      + ' ' + s;
                }
                return s;
              };
              const text = n => (n.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
              for (const e of document.querySelectorAll('body *')) {
                if (e instanceof SVGElement || e.getClientRects().length === 0 || !text(e)) continue;
                const cs = getComputedStyle(e);
                if (cs.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1) {
                  out.push('clipped: ' + where(e) + ' content ' + e.scrollWidth + ' px wide in ' + e.clientWidth
                      + ' px: "' + text(e) + '"');
                }
              }
              for (const p of document.querySelectorAll('.panel')) {
                const box = p.getBoundingClientRect();
                const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
                for (let n; (n = walk.nextNode());) {
                  if (!n.textContent.trim() || n.parentElement.closest('svg')) continue;
                  const range = document.createRange();
                  range.selectNodeContents(n);
                  for (const r of range.getClientRects()) {
                    if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) {
                      out.push('outside its card: ' + where(n.parentElement) + ' text ' + Math.round(r.left) + '–'
                          + Math.round(r.right) + ' px, card ' + Math.round(box.left) + '–' + Math.round(box.right)
                          + ' px: "' + text(n) + '"');
                      break;
                    }
                  }
                }
              }
              for (const t of document.querySelectorAll('svg text')) {
                const s = t.ownerSVGElement.getBoundingClientRect();
                const r = t.getBoundingClientRect();
                if (r.width > 0 && (r.right > s.right + 1 || r.left < s.left - 1 || r.top < s.top - 1
                    || r.bottom > s.bottom + 1)) {
                  out.push('outside its chart: ' + where(t) + ': "' + text(t) + '"');
                }
              }
              return out;
            })()""";

    private Layout() {}

    /** {@code <build dir>/test-classes/..} of the classes holding this helper, so PNGs land beside surefire's reports. */
    public static Path buildDir() throws URISyntaxException {
        return Path.of(Layout.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    /** The problems of the page as it is now laid out. */
    public static List<String> problems(Cdp page) throws Exception {
        List<String> out = new ArrayList<>();
        page.eval(PROBLEMS).forEach(p -> out.add(p.asText()));
        return out;
    }

    /**
     * Lays {@code page} out at each of {@link #WIDTHS}, keeps a full-page PNG of each as
     * {@code <name>-<width>.png}, and fails listing every problem at every width.
     */
    public static void fitsAtEveryWidth(Cdp page, String name) throws Exception {
        List<String> all = new ArrayList<>();
        Path folder = Files.createDirectories(buildDir().resolve("sonde-report"));
        for (int width : WIDTHS) {
            viewport(page, width, 1000);
            problems(page).forEach(p -> all.add(width + " px: " + p));
            Path png = folder.resolve(name + "-" + width + ".png");
            page.screenshot(png, width);
            byte[] bytes = Files.readAllBytes(png);
            assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        assertThat(all).as(name + ": text clipped or outside its card").isEmpty();
    }

    /** Sets the viewport to {@code width}×{@code height} CSS pixels and checks the page sees it. */
    public static void viewport(Cdp page, int width, int height) throws Exception {
        page.send("Emulation.setDeviceMetricsOverride", Journal.JSON.createObjectNode().put("width", width)
                .put("height", height).put("deviceScaleFactor", 1).put("mobile", false));
        JsonNode w = page.eval("innerWidth");
        assertThat(w.asInt()).isEqualTo(width);
    }
}
