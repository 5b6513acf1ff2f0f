package dev.sonde.check;

import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@link CheckProvider}s on the class path, indexed by type once (on first use). A provider
 * that cannot be loaded, claims a built-in type, a {@code not-} name, a malformed name or another
 * provider's type makes the index invalid: every suite then fails to build its checks with that one
 * message, since a check silently replaced by another would be worse than no run. Thread-safe.
 */
final class CustomChecks {
    private static final String NAME = "[a-z][a-z0-9-]*";

    /** Either the providers by type, or why they cannot be used. */
    record Index(Map<String, CheckProvider> providers, String problem) {}

    private static volatile Index loaded;

    private CustomChecks() {}

    /** The class path's providers (loaded with this class's loader on first call). */
    static Index get(Set<String> builtIns) {
        Index i = loaded;
        if (i == null) {
            synchronized (CustomChecks.class) {
                i = loaded;
                if (i == null) {
                    i = load(builtIns);
                    loaded = i;
                }
            }
        }
        return i;
    }

    private static Index load(Set<String> builtIns) {
        List<CheckProvider> found = new ArrayList<>();
        try {
            Iterator<CheckProvider> it = ServiceLoader.load(CheckProvider.class, CustomChecks.class.getClassLoader())
                    .iterator();
            while (it.hasNext()) {
                found.add(it.next());
            }
        } catch (ServiceConfigurationError e) {
            return new Index(Map.of(), "a custom check provider could not be loaded: " + e.getMessage());
        }
        return index(found, builtIns);
    }

    /** Indexes {@code providers}, or says which one conflicts and how. */
    static Index index(Collection<CheckProvider> providers, Set<String> builtIns) {
        Map<String, CheckProvider> byType = new TreeMap<>();
        for (CheckProvider p : providers) {
            String who = "custom check provider " + p.getClass().getName();
            String type = p.type();
            if (type == null || !type.matches(NAME) || type.startsWith("not-")) {
                return new Index(Map.of(), who + " has type '" + type + "': a type is lower-case letters, digits and "
                        + "dashes, and does not start with 'not-'");
            }
            if (builtIns.contains(type)) {
                return new Index(Map.of(), who + " claims '" + type + "', a built-in type: built-in names cannot be "
                        + "overridden, rename its type()");
            }
            CheckProvider other = byType.putIfAbsent(type, p);
            if (other != null) {
                return new Index(Map.of(), who + " and " + other.getClass().getName() + " both claim type '" + type
                        + "': remove one jar from the class path or rename a type()");
            }
        }
        return new Index(Map.copyOf(byType), null);
    }

    /** Builds one assertion of a custom type: parameters checked, {@code threshold} applied. */
    static Check create(CheckProvider provider, Params p) throws SuiteException {
        Set<String> allowed = new TreeSet<>(provider.parameters());
        allowed.add("threshold");
        p.only(allowed.toArray(String[]::new));
        Double threshold = p.optionalNumber("threshold", 0, 1);
        AssertSpec spec = p.spec();
        Check check;
        try {
            check = provider.create(spec);
        } catch (IllegalArgumentException e) {
            throw new SuiteException(spec.location(), spec.field(), "'" + provider.type() + "': " + e.getMessage());
        } catch (RuntimeException e) {
            throw new SuiteException(spec.location(), spec.field(), "custom check provider "
                    + provider.getClass().getName() + " failed to create '" + provider.type() + "': "
                    + Guarded.describe(e));
        }
        if (check == null) {
            throw new SuiteException(spec.location(), spec.field() + ".type", "custom check provider "
                    + provider.getClass().getName() + " made no check for '" + provider.type() + "'");
        }
        return threshold == null ? check : new MinScoreCheck(check, threshold);
    }
}
