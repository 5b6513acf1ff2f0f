package dev.sonde.report;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for tests: loads a local file with networking features off and a throwaway
 * profile. A missing or broken browser fails the test with an install hint — never a skip.
 */
final class Chromium {
    static final String BINARY = System.getProperty("sonde.chromium", "chromium");
    private static final long TIMEOUT_SECONDS = 90;
    private static final String HINT = "headless Chromium is required for the report browser tests: "
            + "install the Debian package `chromium` (apt-get update && apt-get install -y chromium), "
            + "or point -Dsonde.chromium at a Chromium binary";

    private Chromium() {}

    /** The DOM after load (scripts, had there been any, would have run), serialised by Chromium. */
    static String dumpDom(Path html, Path profile) {
        return run(html, profile, List.of("--dump-dom")).stdout();
    }

    /** Renders {@code html} at {@code width}×{@code height} into the PNG {@code png}. */
    static void screenshot(Path html, Path profile, Path png, int width, int height) {
        run(html, profile, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars"));
        if (!Files.isRegularFile(png)) {
            fail("Chromium exited without writing the screenshot " + png);
        }
    }

    private record Result(String stdout, String stderr) {}

    private static Result run(Path html, Path profile, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(extra);
        cmd.add(html.toAbsolutePath().toUri().toString());
        Path out = profile.resolveSibling(profile.getFileName() + ".out");
        Path err = profile.resolveSibling(profile.getFileName() + ".err");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            return fail(HINT + " (could not start `" + BINARY + "`: " + e.getMessage() + ")");
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s; " + HINT + "\n" + tail(err));
            }
            if (p.exitValue() != 0) {
                return fail("Chromium exited with " + p.exitValue() + "; " + HINT + "\n" + tail(err));
            }
            return new Result(Files.readString(out, StandardCharsets.UTF_8), tail(err));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return fail("interrupted while waiting for Chromium");
        } catch (IOException e) {
            return fail("cannot read Chromium's output: " + e.getMessage());
        }
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
        } catch (IOException e) {
            return "";
        }
    }
}
