package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.history.HistoryStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sonde view}: the address it prints, a page served from it, its stop, and a build without the module. */
class ViewCommandTest {
    private static final ClassLoader NO_MODULE = new URLClassLoader(new URL[0], null);
    private static final Pattern ADDRESS = Pattern.compile("view: (http://127\\.0\\.0\\.1:(\\d+)/)");

    @TempDir
    Path dir;

    @Test
    void prints_its_address_serves_the_store_and_stops_when_its_thread_is_interrupted() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Path store = dir.resolve("reports/history.duckdb");
        Thread command = new Thread(() -> exit.set(Main.execute(Map.of(), null, new PrintWriter(out, true),
                new PrintWriter(err, true), "view", "--store", store.toString())));
        command.start();
        Matcher m = ADDRESS.matcher("");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!(m = ADDRESS.matcher(out.toString())).find()) {
            assertThat(System.nanoTime()).as("no address printed; err: " + err).isLessThan(deadline);
            assertThat(command.isAlive()).as("ended early: " + err).isTrue();
            Thread.sleep(20);
        }
        int port = Integer.parseInt(m.group(2));
        assertThat(out.toString().lines().toList()).containsExactly("view: " + m.group(1),
                "view: no store yet at " + store.toAbsolutePath() + "; Ctrl-C stops");

        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("No runs in this store yet");
        assertThat(store).doesNotExist();

        command.interrupt();
        command.join(10_000);
        assertThat(command.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(err.toString()).isEmpty();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void a_port_out_of_range_is_one_line_and_exit_2() {
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), null, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "view", "--port", "70000");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("sonde view: --port must be 0 to 65535, not 70000");
    }

    @Test
    void a_port_in_use_is_one_line_and_exit_2() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int code = Main.execute(Map.of(), null, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                    "view", "--port", Integer.toString(taken.getLocalPort()), "--store", dir.resolve("h.duckdb").toString());
            assertThat(code).isEqualTo(2);
            assertThat(err.toString().lines()).singleElement().asString()
                    .startsWith("sonde history: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for sonde view (")
                    .endsWith("; pick another --port, or leave it out");
        }
    }

    @Test
    void without_the_history_module_says_so_in_one_line_and_exits_2() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(Map.of(), new HistoryStores.Places(NO_MODULE, dir.resolve("none.jar").toString(), null),
                new PrintWriter(out, true), new PrintWriter(err, true), "view");
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("sonde view: this build has no history store (");
    }
}
