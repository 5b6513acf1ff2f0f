package dev.sonde.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where keys come from: the process environment, plus a {@code .env} file in the working
 * directory if there is one ({@code KEY=value} lines, optional {@code export}, quotes and
 * {@code #} comments). The real environment wins over the file. Values are never printed; a
 * malformed line is ignored rather than echoed.
 */
final class Secrets {
    private Secrets() {}

    static Map<String, String> environment(Map<String, String> env, Path workDir) throws IOException {
        Path file = workDir.resolve(".env");
        if (!Files.isRegularFile(file)) {
            return env;
        }
        Map<String, String> merged = new HashMap<>(parse(Files.readAllLines(file)));
        merged.putAll(env);
        return merged;
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int hash = value.indexOf(" #");
                if (hash >= 0) {
                    value = value.substring(0, hash).strip();
                }
            }
            if (key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                out.put(key, value);
            }
        }
        return out;
    }
}
