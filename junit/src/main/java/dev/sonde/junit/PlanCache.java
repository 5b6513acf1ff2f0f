package dev.sonde.junit;

import dev.sonde.session.SuiteSession;
import dev.sonde.suite.SuiteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last few suites' plans, so the several discoveries of one launch (Surefire makes at least two)
 * parse and expand each suite once. A plan is reused while the suite file keeps its real path, size and
 * modification time and the repeat is the same; only the suite file itself is looked at, so a change to
 * a file it includes shows from the next JVM. Holds {@value #ENTRIES} plans at most. Thread-safe.
 */
final class PlanCache {
    static final int ENTRIES = 8;

    private record Key(Path realPath, long size, FileTime modified, Integer repeat) {}

    private static final Map<Key, SuiteSession.Planned> PLANS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SuiteSession.Planned> eldest) {
            return size() > ENTRIES;
        }
    };

    private PlanCache() {}

    /** As {@link SuiteSession#plan}; a file that cannot be read is left to it to report. */
    static SuiteSession.Planned plan(Path file, Integer repeat)
            throws SuiteException, SuiteSession.SetupException, IOException {
        Key key;
        try {
            Path real = file.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            key = new Key(real, attributes.size(), attributes.lastModifiedTime(), repeat);
        } catch (IOException e) {
            return SuiteSession.plan(file, repeat);
        }
        synchronized (PLANS) {
            SuiteSession.Planned known = PLANS.get(key);
            if (known != null) {
                return known;
            }
        }
        SuiteSession.Planned planned = SuiteSession.plan(file, repeat);
        synchronized (PLANS) {
            PLANS.put(key, planned);
        }
        return planned;
    }
}
