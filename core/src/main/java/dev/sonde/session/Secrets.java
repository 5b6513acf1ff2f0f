package dev.sonde.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where keys come from: the process environment, plus a {@code .env} file in the working
 * directory if there is one ({@code KEY=value} lines, optional {@code export}, quotes and
 * {@code #} comments). The real environment wins over the file, and the file is read only when a
 * variable the command needs is not in the environment, so a broken {@code .env} never stops a run
 * that needs no key (an emulator run). Values are never printed; a malformed line is ignored
 * rather than echoed. Not thread-safe: one per command.
 */
public final class Secrets {
    /** A {@code .env} larger than this is not a key file. */
    private static final long MAX_DOTENV_BYTES = 1 << 20;

    private final Map<String, String> env;
    private final Path dotEnv;
    private Map<String, String> fromFile;

    Secrets(Map<String, String> env, Path workDir) {
        this.env = env;
        this.dotEnv = workDir.resolve(".env");
    }

    /** The process environment as given (without {@code .env}), for settings such as {@code SONDE_ALLOWED_ENDPOINTS}. */
    Map<String, String> environment() {
        return env;
    }

    /**
     * The value of {@code name}: from the environment, else from {@code .env}; null when neither has it.
     *
     * @throws IOException a one-line message naming the {@code .env} file when it cannot be read
     *     (not UTF-8, too large, unreadable)
     */
    String get(String name) throws IOException {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
            return v;
        }
        return file().get(name);
    }

    /** The value of {@code name} in the process environment only (never reads {@code .env}). */
    String fromEnvironment(String name) {
        return env.get(name);
    }

    private Map<String, String> file() throws IOException {
        if (fromFile == null) {
            if (!Files.isRegularFile(dotEnv)) {
                fromFile = Map.of();
            } else if (Files.size(dotEnv) > MAX_DOTENV_BYTES) {
                throw new IOException(dotEnv + ": larger than 1 MiB, so not a key file; nothing was read from it");
            } else {
                try {
                    byte[] bytes = Files.readAllBytes(dotEnv);
                    String text = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes)).toString();
                    fromFile = parse((text.startsWith("\uFEFF") ? text.substring(1) : text).lines().toList());
                } catch (CharacterCodingException e) {
                    throw new IOException(dotEnv + ": not UTF-8 text, so no key was read from it (save it as UTF-8)");
                }
            }
        }
        return fromFile;
    }

    /** The variables of a {@code .env} in {@code workDir}, or none when it is absent or unreadable (never throws). */
    public static Map<String, String> quietly(Path workDir) {
        try {
            return new Secrets(Map.of(), workDir).file();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
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
