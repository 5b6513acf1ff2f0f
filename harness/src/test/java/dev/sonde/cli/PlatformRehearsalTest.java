package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's rehearsal of a live platforms run ("Cloud platforms"), run as the README writes it:
 * its {@code ./sonde emulator …} line as a standalone emulator (its options parsed and applied by
 * {@link EmulatorCommand}, started on port 0 as a handle closed when the test ends), its environment
 * and its {@code ./sonde run …} line, on that port instead of 8089 (in the commands and in a copy of
 * the ADC fixture's {@code token_uri}), so the README's commands cannot rot.
 */
class PlatformRehearsalTest {
    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The README's sh block holding {@code ./sonde emulator --port}, continuation lines joined. */
    private static List<String> readmeCommands() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```sh\\n(\\./sonde emulator --port [^`]*)```").matcher(readme);
        assertThat(block.find()).as("the README's rehearsal block").isTrue();
        return Arrays.stream(block.group(1).replace("\\\n", " ").split("\n")).map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
    }

    /** {@code ./sonde …} words as Main's arguments: paths from the checkout's root, 8089 as {@code port}. */
    private static List<String> args(List<String> words, int port) {
        List<String> args = new ArrayList<>();
        for (String w : words.subList(1, words.size())) {
            String arg = w.replace("8089", Integer.toString(port));
            args.add(arg.startsWith("fixtures/") || arg.startsWith("suites/") ? ROOT.resolve(arg).toString() : arg);
        }
        return args;
    }

    @Test
    void the_readmes_rehearsal_runs_every_platform_live_against_a_standalone_emulator_with_the_offline_answers()
            throws Exception {
        List<String> commands = readmeCommands();
        assertThat(commands).hasSize(2);
        List<String> emulatorLine = List.of(commands.get(0).split("\\s+"));
        assertThat(emulatorLine.getLast()).isEqualTo("&");
        List<String> runLine = List.of(commands.get(1).split("\\s+"));

        // the emulator line holds the suite's own seed, rules and config
        String suite = Files.readString(ROOT.resolve("suites/platforms.yaml"), StandardCharsets.UTF_8);
        Matcher seed = Pattern.compile("(?m)^emulator: \\{seed: (\\d+),").matcher(suite);
        assertThat(seed.find()).isTrue();
        assertThat(String.join(" ", emulatorLine)).contains("--seed " + seed.group(1) + " ")
                .contains("--rules fixtures/platforms/rules.yaml").contains("--config fixtures/platforms/emulator.yaml");

        // the emulator line parsed by the command itself, on port 0 (the system's free port, bound at
        // start, so no other test can take it first), started as a handle closed when the test ends
        assertThat(emulatorLine.subList(0, 4)).containsExactly("./sonde", "emulator", "--port", "8089");
        List<String> emulatorArgs = args(emulatorLine.subList(0, emulatorLine.size() - 1), 0);
        EmulatorCommand command = new EmulatorCommand();
        new CommandLine(command).parseArgs(emulatorArgs.subList(1, emulatorArgs.size()).toArray(String[]::new));
        try (Emulator emulator = Emulator.start(command.configured(EmulatorConfig.load(command.config)).build())) {
            assertThat(emulator.seed()).isEqualTo(Long.parseLong(seed.group(1)));
            rehearse(runLine, emulator.port());
        }
    }

    private void rehearse(List<String> runLine, int port) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        int word = 0;
        for (; runLine.get(word).contains("="); word++) {
            String[] pair = runLine.get(word).split("=", 2);
            env.put(pair[0], pair[1]);
        }
        assertThat(env).containsOnlyKeys("ANTHROPIC_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "ANTHROPIC_FOUNDRY_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS");
        // the ADC fixture, its token endpoint moved to this port as the README says to
        ObjectNode adc = (ObjectNode) JSON.readTree(ROOT.resolve(env.get("GOOGLE_APPLICATION_CREDENTIALS")).toFile());
        assertThat(adc.get("token_uri").asText()).isEqualTo("http://127.0.0.1:8089/oauth2/token");
        adc.put("token_uri", adc.get("token_uri").asText().replace("8089", Integer.toString(port)));
        env.put("GOOGLE_APPLICATION_CREDENTIALS", Files.writeString(dir.resolve("adc.json"), adc.toString()).toString());

        List<String> run = new ArrayList<>(args(runLine.subList(word, runLine.size()), port));
        Path out = dir.resolve("out");
        run.addAll(List.of("--out", out.toString()));
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = Main.execute(env, new PrintWriter(stdout, true), new PrintWriter(stderr, true),
                run.toArray(String[]::new));
        assertThat(code).as(stdout + "\n" + stderr).isZero();
        assertThat(stdout.toString()).contains("PASS  platforms: 90/90 passed, 0 failed, 0 errored  (LIVE http://127.0.0.1:"
                + port);
        assertThat(stdout + "\n" + stderr).contains("Google credentials: GOOGLE_APPLICATION_CREDENTIALS authorized user")
                .contains("AWS credentials: AWS_ACCESS_KEY_ID …R000 (env)")
                .contains("Foundry credentials: ANTHROPIC_FOUNDRY_API_KEY");

        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertThat(results.path("emulator_filler").isObject()).as("no filler: " + results.path("emulator_filler"))
                .isFalse();
        for (JsonNode c : results.at("/model_comparison/candidates")) {
            assertThat(c.get("same_output")).as(c.get("model").asText())
                    .isEqualTo(JSON.readTree("{\"paired\":15,\"identical\":15}"));
        }
        assertThat(results.at("/model_comparison/candidates").size()).isEqualTo(5);
    }
}
