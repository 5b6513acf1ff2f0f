package dev.sonde.history;

import dev.sonde.metrics.Version;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Finds the {@link HistoryStore}, which lives in its own jar ({@code sonde-history.jar}) so that
 * {@code sonde.jar} stays one jar without DuckDB's native libraries. Looks, in order:
 * <ol>
 *   <li>on the application class path ({@link ServiceLoader}: tests, and library users who depend on
 *       {@code sonde-history});
 *   <li>in the jar {@code $SONDE_HISTORY_JAR} names;
 *   <li>in {@value #JAR} beside the running {@code sonde.jar} (the distribution's {@code lib/});
 *   <li>in {@code ../../history/target/sonde-history.jar} from the running jar's folder, only when
 *       that jar is a checkout's {@code harness/target/sonde.jar} (a {@code harness/pom.xml} beside
 *       its {@code target/}), never from an installed Sonde.
 * </ol>
 * A jar of steps 2–4 must carry this Sonde's version as its manifest's {@code Implementation-Version}
 * (a stale or other-version jar would fail later, at a method it lacks); it is loaded in a child
 * {@link URLClassLoader} of this room's loader, so the store sees the same core classes as the
 * command. A jar whose service cannot load counts as none, with the reason kept. A store found in a
 * jar is kept for the JVM, per jar path, size and modification time, so its class loader and
 * DuckDB's native library (unpacked once per loader) are made once per process. Thread-safe.
 */
public final class HistoryStores {
    /** The history module's jar name. */
    public static final String JAR = "sonde-history.jar";
    /** The store a run adds itself to, and {@code sonde history} reads, unless told another: under the working directory. */
    public static final Path DEFAULT_STORE = Path.of("reports", "history.duckdb");
    /** The environment variable naming the jar. */
    public static final String ENV = "SONDE_HISTORY_JAR";
    /** What a user does to get a store. */
    public static final String HOW = "build it with 'mvn -B -DskipTests package', or set " + ENV
            + " to a sonde-history.jar";

    /** The jars found so far in this JVM, by path, size and modification time. */
    private static final Map<JarKey, Found> FOUND = new ConcurrentHashMap<>();

    private HistoryStores() {}

    private record JarKey(Path jar, long size, long modifiedMillis) {}

    /** What {@link #find} found. */
    public sealed interface Lookup {}

    /** A store, and where it came from (e.g. {@code class path} or the jar's path). */
    public record Found(HistoryStore store, String from) implements Lookup {}

    /** No store: {@code why} says where Sonde looked and what it found, {@code how} how to get one. */
    public record Missing(String why, String how) implements Lookup {
        /** The one line a command prints, e.g. {@code sonde history: this build has no history store (…)}. */
        public String line(String command) {
            return command + ": this build has no history store (" + why + "; " + how + ")";
        }
    }

    /**
     * Where to look: the loader whose class path is searched first, the value of {@value #ENV} (null
     * when unset) and the jar this process runs from (null when it runs from class folders).
     */
    public record Places(ClassLoader classPath, String envJar, Path runningJar) {
        /** This process: this room's loader, {@code env}'s {@value #ENV}, the jar this class came from. */
        public static Places of(Map<String, String> env) {
            return new Places(HistoryStores.class.getClassLoader(), env.get(ENV), HistoryStores.runningJar());
        }
    }

    /** The store of this process ({@link Places#of}). */
    public static Lookup find(Map<String, String> env) {
        return find(Places.of(env));
    }

    /** The store found in {@code places}, in the order of the class comment. */
    public static Lookup find(Places places) {
        List<String> looked = new ArrayList<>();
        if (places.classPath() != null) {
            Lookup onPath = load(places.classPath(), "class path", looked);
            if (onPath instanceof Found) {
                return onPath;
            }
        }
        List<Path> jars = new ArrayList<>();
        if (places.envJar() != null && !places.envJar().isBlank()) {
            jars.add(Path.of(places.envJar().strip()));
        }
        if (places.runningJar() != null && places.runningJar().getParent() != null) {
            Path dir = places.runningJar().getParent();
            jars.add(dir.resolve(JAR));
            Path checkout = checkoutHistoryJar(places.runningJar());
            if (checkout != null) {
                jars.add(checkout);
            }
        }
        for (Path jar : jars) {
            Lookup inJar = inJar(jar, looked);
            if (inJar instanceof Found) {
                return inJar;
            }
        }
        if (places.runningJar() == null) {
            looked.add("not run from a jar");
        }
        return new Missing(String.join("; ", looked), HOW);
    }

    /**
     * The checkout's {@code history/target/sonde-history.jar} when {@code runningJar} is a checkout's
     * {@code harness/target/sonde.jar} ({@code harness/pom.xml} two levels up), else null.
     */
    static Path checkoutHistoryJar(Path runningJar) {
        Path target = runningJar.toAbsolutePath().normalize().getParent();
        Path harness = target == null ? null : target.getParent();
        if (harness == null || harness.getParent() == null || !target.getFileName().toString().equals("target")
                || !harness.getFileName().toString().equals("harness")
                || !Files.isRegularFile(harness.resolve("pom.xml"))) {
            return null;
        }
        return harness.getParent().resolve("history/target").resolve(JAR);
    }

    /** The store in {@code jar}: the one found earlier in this JVM when the file is unchanged. */
    private static Lookup inJar(Path jar, List<String> looked) {
        JarKey key;
        try {
            BasicFileAttributes attrs = Files.readAttributes(jar, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                looked.add(jar + " not found");
                return null;
            }
            key = new JarKey(jar.toAbsolutePath().normalize(), attrs.size(), attrs.lastModifiedTime().toMillis());
        } catch (IOException e) {
            looked.add(jar + " not found");
            return null;
        }
        Found known = FOUND.get(key);
        if (known != null) {
            return known;
        }
        String version = implementationVersion(jar);
        String running = Version.current();
        if (!running.equals(version)) {
            looked.add(jar + (version == null ? " has no Implementation-Version" : " is version " + version)
                    + ", this Sonde is " + running + " (use the sonde-history.jar of the same build)");
            return null;
        }
        try {
            URLClassLoader child = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                    HistoryStores.class.getClassLoader());
            Lookup found = load(child, jar.toString(), looked);
            if (found instanceof Found f) {
                FOUND.put(key, f);
            }
            return found;
        } catch (MalformedURLException e) {
            looked.add(jar + ": " + e.getMessage());
            return null;
        }
    }

    /** The manifest's {@code Implementation-Version} of {@code jar}, or null when it has none or is no jar. */
    private static String implementationVersion(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static Lookup load(ClassLoader loader, String from, List<String> looked) {
        try {
            Iterator<HistoryStore> it = ServiceLoader.load(HistoryStore.class, loader).iterator();
            if (it.hasNext()) {
                return new Found(it.next(), from);
            }
            if (!"class path".equals(from)) {
                looked.add(from + " has no " + HistoryStore.class.getName() + " service");
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            looked.add(from + ": " + e.getMessage());
        }
        return null;
    }

    private static Path runningJar() {
        try {
            var source = HistoryStores.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? path : null;
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
