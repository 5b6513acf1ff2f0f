package dev.sonde.check;

import java.util.Iterator;
import java.util.ServiceLoader;

/** The class path's {@link Embedder}, loaded once on first use (the model loads with it). Thread-safe. */
final class Embedders {
    /** What a user runs to get one: said by the error of a build without it. */
    static final String HOW = "rebuild with the embeddings profile: 'mvn -Pembeddings -DskipTests package' for "
            + "harness/target/sonde.jar, or add -Pembeddings to the Maven gate ('mvn -Pembeddings verify -Psuite=NAME')";

    private static volatile Embedder loaded;

    private Embedders() {}

    /** The first embedder on the class path, or null when this build has none. */
    static Embedder get() {
        Embedder e = loaded;
        if (e == null) {
            synchronized (Embedders.class) {
                e = loaded;
                if (e == null) {
                    Iterator<Embedder> it = ServiceLoader.load(Embedder.class, Embedders.class.getClassLoader()).iterator();
                    e = it.hasNext() ? it.next() : null;
                    loaded = e;
                }
            }
        }
        return e;
    }
}
