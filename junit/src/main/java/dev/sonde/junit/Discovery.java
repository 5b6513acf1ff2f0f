package dev.sonde.junit;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.ClasspathResourceSelector;
import org.junit.platform.engine.discovery.ClasspathRootSelector;
import org.junit.platform.engine.discovery.DirectorySelector;
import org.junit.platform.engine.discovery.FileSelector;
import org.junit.platform.engine.discovery.PackageSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;

/**
 * Turns a discovery request's selectors into suites to list: a {@link SondeSuite} class (selected,
 * or found by a package or classpath-root scan, which finds nothing else), a unique id under
 * {@code [engine:sonde]}, a {@code .yaml} file, directory or classpath resource, and the suites of
 * {@code sonde.junit.suites}. A suite reached several ways is listed once; what any way selects of it is
 * united.
 */
final class Discovery {
    private final Settings settings;
    private final UniqueId engineId;
    private final Map<String, SuiteTree.Request> suites = new LinkedHashMap<>();
    private final List<SuiteDescriptor> markers = new ArrayList<>();

    Discovery(Settings settings, UniqueId engineId) {
        this.settings = settings;
        this.engineId = engineId;
    }

    void resolve(EngineDiscoveryRequest request, TestDescriptor engine) {
        Predicate<String> names = classNames(request);
        for (ClassSelector s : request.getSelectorsByType(ClassSelector.class)) {
            ReflectionSupport.tryToLoadClass(s.getClassName()).ifSuccess(this::marked);
        }
        for (PackageSelector s : request.getSelectorsByType(PackageSelector.class)) {
            ReflectionSupport.findAllClassesInPackage(s.getPackageName(), Discovery::isMarked, names)
                    .forEach(this::marked);
        }
        for (ClasspathRootSelector s : request.getSelectorsByType(ClasspathRootSelector.class)) {
            ReflectionSupport.findAllClassesInClasspathRoot(s.getClasspathRoot(), Discovery::isMarked, names)
                    .forEach(this::marked);
        }
        for (UniqueIdSelector s : request.getSelectorsByType(UniqueIdSelector.class)) {
            uniqueId(s.getUniqueId());
        }
        for (FileSelector s : request.getSelectorsByType(FileSelector.class)) {
            if (isYaml(s.getRawPath())) {
                add(settings.resolve(s.getRawPath()), null, null);
            }
        }
        for (DirectorySelector s : request.getSelectorsByType(DirectorySelector.class)) {
            pathOrDirectory(settings.resolve(s.getRawPath()), null);
        }
        for (ClasspathResourceSelector s : request.getSelectorsByType(ClasspathResourceSelector.class)) {
            resource(s.getClasspathResourceName());
        }
        settings.suites().forEach(p -> pathOrDirectory(settings.resolve(p), null));
        markers.forEach(engine::addChild);
        suites.forEach((key, r) -> engine.addChild(SuiteTree.build(engineId.append(SuiteTree.SUITE, key), key, r,
                settings)));
    }

    private static boolean isMarked(Class<?> c) {
        return c.isAnnotationPresent(SondeSuite.class);
    }

    private static boolean isYaml(String path) {
        return path.endsWith(".yaml") || path.endsWith(".yml");
    }

    /** Every {@link ClassNameFilter} of the request; applied to scans, not to a class selected by name. */
    private static Predicate<String> classNames(EngineDiscoveryRequest request) {
        List<ClassNameFilter> filters = request.getFiltersByType(ClassNameFilter.class);
        return name -> filters.stream().allMatch(f -> f.apply(name).included());
    }

    private void marked(Class<?> marker) {
        SondeSuite suite = marker.getAnnotation(SondeSuite.class);
        if (suite == null) {
            return;
        }
        if (suite.value().length > 0) {
            for (String value : suite.value()) {
                pathOrDirectory(settings.resolve(value), marker);
            }
            return;
        }
        switch (RequestedSuite.of(settings)) {
            case RequestedSuite.Chosen chosen -> add(chosen.file(), marker, null);
            case RequestedSuite.Refused refused -> classLevel(marker, new SuiteDescriptor.Broken(refused.message()));
            case RequestedSuite.NoneRequested none -> classLevel(marker, new SuiteDescriptor.Skipped(none.reason()));
        }
    }

    /** A marker whose suite is not found still yields a container, so Surefire keeps the class and reports why. */
    private void classLevel(Class<?> marker, SuiteDescriptor.State state) {
        UniqueId id = engineId.append(SuiteTree.CLASS, marker.getName());
        if (markers.stream().noneMatch(m -> m.getUniqueId().equals(id))) {
            markers.add(new SuiteDescriptor(id, marker.getSimpleName(), settings, marker, null, state));
        }
    }

    /**
     * {@code [engine:sonde]/[suite:PATH]/…}: the suite file again from its path (no class needed), and
     * what the rest of the id selects of it; {@code [engine:sonde]/[class:NAME]} the marker class.
     * The engine's id alone names no suite.
     */
    private void uniqueId(UniqueId id) {
        List<UniqueId.Segment> segments = id.getSegments();
        int depth = engineId.getSegments().size();
        if (segments.size() <= depth || !id.hasPrefix(engineId)) {
            return;
        }
        UniqueId.Segment top = segments.get(depth);
        if (top.getType().equals(SuiteTree.SUITE)) {
            add(settings.resolve(top.getValue()), null, segments.size() == depth + 1 ? null : id);
        } else if (top.getType().equals(SuiteTree.CLASS)) {
            ReflectionSupport.tryToLoadClass(top.getValue()).ifSuccess(this::marked);
        }
    }

    /** A suite on the classpath: read from its file (a suite inside a jar is refused, since its paths are files). */
    private void resource(String name) {
        if (!isYaml(name)) {
            return;
        }
        String path = name.startsWith("/") ? name.substring(1) : name;
        URL url = Thread.currentThread().getContextClassLoader().getResource(path);
        Path file = null;
        try {
            file = url != null && url.getProtocol().equals("file") ? Path.of(url.toURI()) : null;
        } catch (URISyntaxException e) {
            file = null;
        }
        if (file != null) {
            add(file, null, null);
            return;
        }
        request(settings.resolve(path), null).refuse(url == null ? "no classpath resource " + path
                : "the classpath resource " + url + " is not a file: a suite runs from a file (its fixtures and "
                        + "baseline are paths beside it)");
    }

    /** A suite file, or every {@code *.yaml} directly in a directory (a directory without one is a broken suite). */
    private void pathOrDirectory(Path path, Class<?> marker) {
        if (!Files.isDirectory(path)) {
            add(path, marker, null);
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(path)) {
            files = list.filter(p -> isYaml(p.getFileName().toString()) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            files = List.of();
        }
        if (files.isEmpty()) {
            SuiteTree.Request r = request(path, marker);
            r.refuse("no suite (*.yaml) in the directory " + path);
            return;
        }
        files.forEach(f -> add(f, marker, null));
    }

    /** @param pick a unique id selecting part of the suite, or null for all of it */
    private void add(Path file, Class<?> marker, UniqueId pick) {
        request(file, marker).select(pick);
    }

    private SuiteTree.Request request(Path file, Class<?> marker) {
        SuiteTree.Request r = suites.computeIfAbsent(settings.key(file), k -> new SuiteTree.Request(file));
        r.marker(marker);
        return r;
    }
}
