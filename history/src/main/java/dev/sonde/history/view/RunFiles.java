package dev.sonde.history.view;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one file of a stored run's folder the viewer serves: its {@code report.html}, which the run
 * wrote with secrets masked and which links to no other file (charts are inline SVG, its script and
 * styles inline). Raw outputs ({@code trials.jsonl}, {@code run.json}, {@code results.json}) are
 * never served: the store's masked, prunable rows are what the viewer shows of them. The run folder
 * is taken as stored and not trusted: a request is refused unless it names {@value #REPORT}, the
 * file's real path (symbolic links followed) is inside the folder's real path, it is a regular file
 * and at most {@value #MAX_BYTES} bytes. Stateless.
 */
final class RunFiles {
    static final String REPORT = "report.html";
    static final long MAX_BYTES = 64L << 20;

    /** The policy a report may carry as its {@code <meta>} tag: Sonde's, with its one script's hash. */
    private static final Pattern REPORT_POLICY = Pattern.compile("default-src 'none'; style-src 'unsafe-inline';"
            + " img-src data:; script-src 'sha256-[A-Za-z0-9+/]{43}='; base-uri 'none'; form-action 'none'");
    private static final Pattern META = Pattern.compile(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    /** A report whose policy is not Sonde's runs no script. */
    static final String NO_SCRIPT = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
            + " form-action 'none'";

    /** What a request for a run file comes to. */
    sealed interface Lookup {}

    /** The file and its size. */
    record Served(Path file, long bytes) implements Lookup {}

    /** Not served; {@code why} is one line for the page. */
    record Refused(String why) implements Lookup {}

    private RunFiles() {}

    static Lookup find(Path runDir, String name) {
        if (!REPORT.equals(name)) {
            return new Refused("the viewer serves only a run's " + REPORT);
        }
        try {
            Path root = runDir.toRealPath();
            Path file = root.resolve(REPORT);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return new Refused("no " + REPORT + " in the run's folder");
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real)) {
                return new Refused("the run's " + REPORT + " is not a file of its folder");
            }
            long bytes = Files.size(real);
            if (bytes > MAX_BYTES) {
                return new Refused("larger than " + (MAX_BYTES >> 20) + " MiB; open it from the run's folder");
            }
            return new Served(real, bytes);
        } catch (IOException e) {
            return new Refused("no " + REPORT + " in the run's folder");
        }
    }

    /**
     * The policy to send with a report as a header: its own {@code <meta>} policy when that is the
     * one Sonde writes (its script allowed by hash), else {@link #NO_SCRIPT}; never framed.
     */
    static String policy(byte[] report) {
        String head = new String(report, 0, Math.min(report.length, 8192), StandardCharsets.UTF_8);
        Matcher meta = META.matcher(head);
        String own = meta.find() ? meta.group(1).replace("&#39;", "'").replace("&#x27;", "'") : "";
        if (!REPORT_POLICY.matcher(own).matches()) {
            own = NO_SCRIPT;
        }
        return own + "; frame-ancestors 'none'";
    }
}
