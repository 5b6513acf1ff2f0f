package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one line an unexpected error prints masks every key the command could have read: the environment's and .env's. */
class MainKeyMaskTest {
    @TempDir
    Path dir;

    @Test
    void masks_keys_from_the_environment_and_from_dot_env() throws Exception {
        Files.writeString(dir.resolve(".env"), "GATEWAY_API_KEY=gw-from-dotenv-0123456789\nOTHER=not-a-key-name\n");
        var mask = Main.keyMask(Map.of("ANTHROPIC_API_KEY", "env-key-0123456789abcdef"), dir);
        assertThat(mask.mask("a env-key-0123456789abcdef b gw-from-dotenv-0123456789 c not-a-key-name"))
                .isEqualTo("a [masked] b [masked] c not-a-key-name");
    }
}
