package dev.sonde.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The compact request hashes read back exactly what they were given, sorted by key, odd values included. */
class RequestHashesTest {

    @Test
    void every_value_reads_back_as_given_in_key_order() throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            given.put("c-" + (i * 7919 % 500) + "/m", "sha256:" + String.format("%064x", (long) i * 2654435761L));
        }
        given.put("odd/m", "sha256:NOT-HEX");
        given.put("short/m", "md5:abc");
        given.put("null/m", null);

        Map<String, String> compact = RequestHashes.of(given);

        assertThat(compact).isEqualTo(new TreeMap<>(given)).hasSize(given.size());
        assertThat(List.copyOf(compact.keySet())).isEqualTo(List.copyOf(new TreeMap<>(given).keySet()));
        assertThat(compact.get("odd/m")).isEqualTo("sha256:NOT-HEX");
        assertThat(compact.get("short/m")).isEqualTo("md5:abc");
        assertThat(compact.get("absent/m")).isNull();
        assertThat(compact.containsKey("null/m")).isTrue();
        assertThat(RequestHashes.of(compact)).isSameAs(compact);
        String json = Journal.JSON.writeValueAsString(compact);
        assertThat(Journal.JSON.readValue(json, TreeMap.class)).isEqualTo(new TreeMap<>(given));
    }
}
