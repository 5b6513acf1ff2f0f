package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan's hash and its request hashes are the same bytes however the plan is walked: runs resume and merge by them. */
class PlanDigestTest {
    @TempDir
    Path dir;

    @Test
    void a_computed_plan_and_a_plain_list_of_it_hash_as_the_definition_does() throws Exception {
        StringBuilder csv = new StringBuilder("id,topic\n");
        for (int i = 0; i < 400; i++) {
            csv.append(i * 7).append(",harbour ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("rows.csv"), csv);
        Files.writeString(dir.resolve("s.yaml"), """
                name: digest
                models:
                  - {id: a, model: claude-sonnet-4-6}
                  - {id: b, model: claude-haiku-4-5, params: {max_tokens: 7}, headers: {x-team: blue}}
                cases:
                  - {id: first, prompt: "hello", models: [b]}
                  - {id: c, cases_from: rows.csv, prompt: "Tell me about {{topic}}"}
                  - id: talk
                    messages:
                      - {role: user, content: "hi"}
                      - {role: assistant, content: "hello"}
                      - {role: user, content: "and?"}
                run: {repeat: 3}
                """);
        Suite suite = SuiteLoader.load(dir.resolve("s.yaml"));
        List<Trial> plan = Plan.expand(suite);
        Map.Entry<String, Map<String, String>> expected = definition(suite, plan);

        Plan.Digest computed = Plan.digest(suite, plan);
        assertThat(computed.planHash()).isEqualTo(expected.getKey());
        assertThat(computed.requestHashes()).isEqualTo(expected.getValue()).hasSize(1 + 2 * 400 + 2);

        Plan.Digest listed = Plan.digest(suite, new ArrayList<>(plan));
        assertThat(listed.planHash()).isEqualTo(expected.getKey());
        assertThat(listed.requestHashes()).isEqualTo(expected.getValue());
    }

    /** The hash as first defined: the suite file, then each trial's id and headers, and each request's body the first time. */
    private static Map.Entry<String, Map<String, String>> definition(Suite suite, List<Trial> plan) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(Files.readAllBytes(suite.file()));
        Set<String> seen = new HashSet<>();
        Map<String, String> requests = new TreeMap<>();
        ObjectWriter json = Templates.PLAIN.writer();
        for (Trial t : plan) {
            sha.update(("\n" + t.id() + "\n" + new TreeMap<>(t.headers()) + "\n").getBytes(StandardCharsets.UTF_8));
            String request = t.caseId() + "/" + t.model().id();
            if (seen.add(request)) {
                byte[] body = json.writeValueAsBytes(t.body());
                sha.update(body);
                requests.put(request, "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
            }
        }
        return Map.entry("sha256:" + HexFormat.of().formatHex(sha.digest()), requests);
    }
}
