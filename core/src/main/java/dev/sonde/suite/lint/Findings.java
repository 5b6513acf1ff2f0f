package dev.sonde.suite.lint;

import dev.sonde.suite.Location;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects warnings so that one mistake written once (say in {@code defaults.system}) is one
 * warning, however many trials it shows in: warnings with the same place, kind and text merge, and
 * name the cases they were seen in. Not thread-safe.
 */
final class Findings {
    private record Key(Location location, LintWarning.Kind kind, String what) {}

    private record Finding(String field, String fix, Set<String> cases) {}

    private final Map<Key, Finding> found = new LinkedHashMap<>();

    /** Adds a warning seen in case {@code caseId}, or adds the case to the same warning seen before. */
    void add(Sources.Source at, LintWarning.Kind kind, String what, String fix, String caseId) {
        found.computeIfAbsent(new Key(at.location(), kind, what),
                k -> new Finding(at.field(), fix, new LinkedHashSet<>())).cases().add(caseId);
    }

    /** The warnings in file order (line, column, then kind). */
    List<LintWarning> warnings() {
        List<LintWarning> out = new ArrayList<>();
        found.forEach((k, f) -> out.add(new LintWarning(k.location(), k.kind(), f.field(), List.copyOf(f.cases()),
                k.what(), f.fix())));
        out.sort(Comparator.comparing((LintWarning w) -> w.location().file().toString())
                .thenComparingInt(w -> w.location().line()).thenComparingInt(w -> w.location().column())
                .thenComparing(LintWarning::kind));
        return List.copyOf(out);
    }
}
