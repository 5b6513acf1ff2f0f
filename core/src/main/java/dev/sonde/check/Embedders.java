package dev.sonde.check;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The class path's {@link Embedder}, loaded once on first use (the model loads with it). A service
 * file whose class or model cannot be loaded counts as no embedder, with the reason kept for the
 * error. Thread-safe.
 */
final class Embedders {
    /** What a user runs to get one: said by the error of a build without it. */
    static final String HOW = "rebuild with the embeddings profile: 'mvn -Pembeddings -DskipTests package' for "
            + "harness/target/sonde.jar, or add -Pembeddings to the Maven gate ('mvn -Pembeddings verify -Psuite=NAME')";

    /** The embedder, or null with why there is none ({@code problem} null when none is installed). */
    private record Loaded(Embedder embedder, String problem) {}

    private static volatile Loaded loaded;

    private Embedders() {}

    /** The first embedder on the class path, or null when this build has none (or it cannot load). */
    static Embedder get() {
        return load().embedder();
    }

    /** Why the installed embedder could not be loaded, or null. */
    static String problem() {
        return load().problem();
    }

    private static Loaded load() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (Embedders.class) {
                l = loaded;
                if (l == null) {
                    try {
                        Iterator<Embedder> it = ServiceLoader.load(Embedder.class, Embedders.class.getClassLoader())
                                .iterator();
                        l = new Loaded(it.hasNext() ? it.next() : null, null);
                    } catch (ServiceConfigurationError | LinkageError e) {
                        l = new Loaded(null, e.toString());
                    }
                    loaded = l;
                }
            }
        }
        return l;
    }
}
