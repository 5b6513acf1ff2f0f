package dev.sonde.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The plugin tests' one-case suite (France's capital) and the emulator rule that answers it. */
final class CapitalSuites {
    private CapitalSuites() {}

    /** Writes {@code rules.yaml} in {@code dir}: "capital of France" is answered "…Paris." */
    static void rules(Path dir) throws IOException {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "capital of France"}
                    reply: {text: "The capital of France is Paris."}
                """);
    }

    /**
     * Writes the suite {@code name} as {@code file}: the one case on haiku with {@code assertion},
     * answered by {@code rules} (a path relative to the suite) and {@code emulatorExtra} (e.g.
     * {@code ", config: slow.yaml"}, or empty).
     */
    static Path write(Path file, String name, String assertion, String rules, String emulatorExtra) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, """
                name: %s
                models:
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 64}}
                cases:
                  - id: capital
                    prompt: "What is the capital of France?"
                    assert: [%s]
                emulator: {seed: 7, rules: [%s]%s}
                """.formatted(name, assertion, rules, emulatorExtra));
    }
}
