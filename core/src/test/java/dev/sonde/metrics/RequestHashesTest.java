package dev.sonde.metrics;

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
        String json = Jackson.mapper().build().writeValueAsString(compact);
        assertThat(Jackson.mapper().build().readValue(json, TreeMap.class)).isEqualTo(new TreeMap<>(given));
    }

    @Test
    void the_builder_sorts_what_it_is_given_and_keeps_each_key_first_hash() throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        RequestHashes.Builder builder = new RequestHashes.Builder(16);
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 1_000; i++) {
            String key = "c-" + (i * 7919 % 700) + "/m"; // 300 keys come twice
            byte[] digest = sha.digest(("body " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            builder.add(key, digest);
            expected.putIfAbsent(key, "sha256:" + java.util.HexFormat.of().formatHex(digest));
        }
        Map<String, String> built = builder.build();
        assertThat(built).isEqualTo(expected).hasSize(700);
        assertThat(List.copyOf(built.keySet())).isEqualTo(List.copyOf(expected.keySet()));
        assertThat(RequestHashes.of(built)).isSameAs(built);
        assertThat(((RequestHashes) built).spilled()).as("a small map keeps its digests in the heap").isFalse();
        assertThat(new RequestHashes.Builder(16).build()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RequestHashes.Builder(16).add("k", new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_large_map_reads_its_digests_back_from_its_file_exactly_and_from_many_threads() throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        int n = RequestHashes.SPILL + 3_000;
        RequestHashes.Builder builder = new RequestHashes.Builder(n);
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < n + 500; i++) {
            String key = "case-" + (i * 7919L % n) + "/m"; // 500 keys come twice: the first hash stays
            byte[] digest = sha.digest(("body " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            builder.add(key, digest);
            expected.putIfAbsent(key, "sha256:" + java.util.HexFormat.of().formatHex(digest));
        }
        Map<String, String> built = builder.build();
        assertThat(((RequestHashes) built).spilled()).isTrue();
        assertThat(built).isEqualTo(expected).hasSize(n);
        assertThat(List.copyOf(built.keySet())).isEqualTo(List.copyOf(expected.keySet()));
        List<String> keys = List.copyOf(expected.keySet());
        java.util.stream.IntStream.range(0, 20_000).parallel().forEach(k -> {
            String key = keys.get(k * 31 % keys.size());
            assertThat(built.get(key)).isEqualTo(expected.get(key));
        });
        assertThat(built.get("case-x/m")).isNull();
    }
}
