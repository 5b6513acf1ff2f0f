package dev.sonde.history.view;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The files of one stored run's folder that the viewer serves read-only under {@code /runs/<id>/}:
 * its report and the outputs beside it. A request names a file by a relative path; it is refused
 * when any segment is empty, {@code .} or {@code ..}, when it starts with {@code /} or holds a
 * backslash or NUL, when its real path (symbolic links followed) is not inside the run folder's real
 * path, when it is not a regular file, or when it is larger than {@value #MAX_BYTES} bytes.
 * Stateless.
 */
final class RunFiles {
    static final long MAX_BYTES = 64L << 20;

    private static final Map<String, String> TYPES = Map.of("html", "text/html;charset=utf-8",
            "json", "application/json", "csv", "text/csv;charset=utf-8", "md", "text/plain;charset=utf-8",
            "txt", "text/plain;charset=utf-8", "jsonl", "text/plain;charset=utf-8", "xml", "application/xml",
            "png", "image/png", "hlog", "text/plain;charset=utf-8", "log", "text/plain;charset=utf-8");

    /** What a request for a run file comes to. */
    sealed interface Lookup {}

    /** The file, its size and the content type it is served as. */
    record Served(Path file, long bytes, String contentType) implements Lookup {}

    /** Not served; {@code why} is one line for the page. */
    record Refused(String why) implements Lookup {}

    private RunFiles() {}

    static Lookup find(Path runDir, String relative) {
        if (relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0) {
            return new Refused("not a file of the run");
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return new Refused("not a file of the run");
            }
        }
        try {
            Path root = runDir.toRealPath();
            Path file = root.resolve(relative).normalize();
            if (!file.startsWith(root) || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return new Refused("no such file in the run's folder");
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real)) {
                return new Refused("not a file of the run");
            }
            long bytes = Files.size(real);
            if (bytes > MAX_BYTES) {
                return new Refused("larger than " + (MAX_BYTES >> 20) + " MiB; open it from the run's folder");
            }
            return new Served(real, bytes, type(real.getFileName().toString()));
        } catch (IOException e) {
            return new Refused("no such file in the run's folder");
        }
    }

    private static String type(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
