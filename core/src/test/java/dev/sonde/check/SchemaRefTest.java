package dev.sonde.check;

import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import dev.sonde.suite.SuiteException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A schema a suite writes is data, not a list of places to fetch: a {@code $ref} to a remote
 * document is never requested (nothing downloads at run time), whatever it names.
 */
class SchemaRefTest {

    @Test
    @Tag("hostile")
    void a_remote_ref_in_an_assertions_schema_is_refused_at_load_and_never_fetched() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            asked.incrementAndGet();
            byte[] body = "{\"type\": \"string\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String ref = "http://127.0.0.1:" + server.getAddress().getPort() + "/s.json";
            for (String schema : List.of("{$ref: \"" + ref + "\"}",
                    "{type: object, properties: {a: {items: {$ref: \"" + ref + "#/x\"}}}}",
                    "{$defs: {d: {$dynamicRef: \"other.json\"}}}")) {
                assertThatThrownBy(() -> Fixtures.check("{type: is-json, schema: " + schema + "}"))
                        .as(schema).isInstanceOf(SuiteException.class)
                        .hasMessageContaining("points outside the schema").hasMessageContaining("never fetches");
            }
            assertThat(asked).as("nothing was requested").hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void a_ref_inside_the_schema_or_to_an_id_it_declares_still_works() throws Exception {
        Check local = Fixtures.check("{type: is-json, schema: {$defs: {n: {type: integer}}, type: object, "
                + "properties: {a: {$ref: \"#/$defs/n\"}}}}");
        assertThat(local.evaluate(text("{\"a\": 1}").build(), null).pass()).isTrue();
        assertThat(local.evaluate(text("{\"a\": \"x\"}").build(), null).pass()).isFalse();
        Check byId = Fixtures.check("{type: is-json, schema: {$id: \"https://example.org/root.json\", $defs: {n: {$id: "
                + "\"https://example.org/n.json\", type: integer}}, properties: {a: {$ref: \"https://example.org/n.json\"}}}}");
        assertThat(byId.evaluate(text("{\"a\": 2}").build(), null).pass()).isTrue();
        assertThat(byId.evaluate(text("{\"a\": []}").build(), null).pass()).isFalse();
    }
}
