package dev.sonde.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.metrics.Version;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@link HistoryStores#find} looks, and what it refuses: a jar of another version, the checkout's
 * {@code history/target/} from an installed Sonde; and that a jar found once is not loaded again.
 */
class HistoryStoresTest {
    /** A class path with no store on it. */
    private static final ClassLoader NO_MODULE = new URLClassLoader(new URL[0], null);

    @TempDir
    Path dir;

    /** A store the service file of a test jar names; loaded by the test's own loader, one instance per load. */
    public static final class NamedStore implements HistoryStore {
        @Override
        public List<Added> add(Path store, List<Path> spools, Duration wait, java.util.function.Consumer<Added> each) {
            throw new UnsupportedOperationException("a lookup test adds nothing");
        }

        @Override
        public List<Added> importInbox(Path store, Duration wait) {
            throw new UnsupportedOperationException("a lookup test imports nothing");
        }

        @Override
        public int queued(Path store) {
            return 0;
        }

        @Override
        public List<StoredRun> runs(Path store, RunQuery query, Duration wait) {
            return List.of();
        }

        @Override
        public Trend trend(Path store, String suite, String model, int last, boolean shards, Duration wait) {
            throw new UnsupportedOperationException("a lookup test reads nothing");
        }

        @Override
        public RunDiff diff(Path store, String runA, String runB, Duration wait) {
            throw new UnsupportedOperationException("a lookup test reads nothing");
        }

        @Override
        public Exported exportParquet(List<Path> spools, Path out) {
            throw new UnsupportedOperationException("a lookup test exports nothing");
        }

        @Override
        public Exported exportParquet(Path store, RunQuery query, Path out, Duration wait) {
            throw new UnsupportedOperationException("a lookup test exports nothing");
        }

        @Override
        public Pruned prune(Path store, int keep, Duration wait) {
            throw new UnsupportedOperationException("a lookup test prunes nothing");
        }

        @Override
        public Viewer view(Path store, ViewOptions options) {
            throw new UnsupportedOperationException("a lookup test serves nothing");
        }
    }

    /** A jar with a service file naming {@link NamedStore} and {@code version} in its manifest (none when null). */
    private static Path historyJar(Path jar, String version) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (version != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("META-INF/services/" + HistoryStore.class.getName()));
            out.write((NamedStore.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static HistoryStores.Lookup inJar(Path jar) {
        return HistoryStores.find(new HistoryStores.Places(NO_MODULE, jar.toString(), null));
    }

    @Test
    void a_jar_found_once_is_not_loaded_again_until_it_changes() throws Exception {
        Path jar = historyJar(dir.resolve("a/sonde-history.jar"), Version.current());

        HistoryStores.Found first = (HistoryStores.Found) inJar(jar);
        HistoryStores.Found again = (HistoryStores.Found) inJar(jar);

        assertThat(first.from()).isEqualTo(jar.toString());
        assertThat(first.store()).isInstanceOf(NamedStore.class);
        assertThat(again.store()).as("the same loader and store, no second native unpack").isSameAs(first.store());

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        HistoryStores.Found rebuilt = (HistoryStores.Found) inJar(jar);
        assertThat(rebuilt.store()).as("a rebuilt jar is loaded anew").isNotSameAs(first.store());
    }

    @Test
    void a_jar_of_another_version_or_of_none_is_refused_naming_both_versions_and_the_jar() throws Exception {
        Path stale = historyJar(dir.resolve("stale/sonde-history.jar"), "0.0.1-old");
        Path bare = historyJar(dir.resolve("bare/sonde-history.jar"), null);

        HistoryStores.Missing staleMissing = (HistoryStores.Missing) inJar(stale);
        HistoryStores.Missing bareMissing = (HistoryStores.Missing) inJar(bare);

        assertThat(staleMissing.line("sonde history")).isEqualTo("sonde history: this build has no history store ("
                + stale + " is version 0.0.1-old, this Sonde is " + Version.current()
                + " (use the sonde-history.jar of the same build); not run from a jar; " + HistoryStores.HOW + ")");
        assertThat(bareMissing.why()).startsWith(bare + " has no Implementation-Version, this Sonde is "
                + Version.current());
    }

    @Test
    void the_checkouts_history_target_is_probed_only_from_a_checkouts_harness_target() throws Exception {
        Path checkout = dir.resolve("checkout");
        Path harnessJar = checkout.resolve("harness/target/sonde.jar");
        Path installed = dir.resolve("opt/sonde/lib/sonde.jar");
        Path lookalike = dir.resolve("copy/harness/target/sonde.jar"); // no harness/pom.xml: not a checkout
        Files.createDirectories(harnessJar.getParent());
        Files.writeString(checkout.resolve("harness/pom.xml"), "<project/>");
        historyJar(checkout.resolve("history/target/sonde-history.jar"), Version.current());
        historyJar(dir.resolve("opt/history/target/sonde-history.jar"), Version.current()); // ../../ of the install

        HistoryStores.Lookup fromCheckout = HistoryStores.find(new HistoryStores.Places(NO_MODULE, null, harnessJar));
        HistoryStores.Lookup fromInstall = HistoryStores.find(new HistoryStores.Places(NO_MODULE, null, installed));
        HistoryStores.Lookup fromLookalike = HistoryStores.find(new HistoryStores.Places(NO_MODULE, null, lookalike));

        assertThat(fromCheckout).isInstanceOfSatisfying(HistoryStores.Found.class, f -> assertThat(f.from())
                .isEqualTo(checkout.resolve("history/target/sonde-history.jar").toString()));
        assertThat(fromInstall).isInstanceOfSatisfying(HistoryStores.Missing.class, m -> assertThat(m.why())
                .isEqualTo(installed.resolveSibling("sonde-history.jar") + " not found"));
        assertThat(fromLookalike).isInstanceOfSatisfying(HistoryStores.Missing.class, m -> assertThat(m.why())
                .isEqualTo(lookalike.resolveSibling("sonde-history.jar") + " not found"));
    }
}
