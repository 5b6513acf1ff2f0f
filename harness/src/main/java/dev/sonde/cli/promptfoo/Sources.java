package dev.sonde.cli.promptfoo;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.serialization.node.LocationJsonNodeFactoryFactory;
import com.networknt.schema.utils.JsonNodes;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.metrics.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files an import reads: the config and every {@code file://} it names. Confined: a reference
 * is read only when its real path ({@link Path#toRealPath}, so after {@code ..} and symlinks) lies in
 * the config's folder tree or under a folder the user allowed ({@code --allow-outside}); anything
 * else is {@link Unreadable} with the reason, which callers list as unmapped. Bounded: a file is read
 * only if it is a regular file of at most {@link #MAX_FILE_BYTES} bytes, and all files together at
 * most {@link #MAX_TOTAL_BYTES} bytes; a glob expands to at most {@link #MAX_GLOB_FILES} files,
 * searched no deeper than the glob's own depth, and all globs of an import visit at most {@link
 * #MAX_GLOB_VISITS} entries. A file that is being read (a tests file naming itself, directly or not)
 * is not read again ({@link #enter}). Nothing is fetched: a URL is never opened. Parsed trees
 * remember, per node, the file they came from, so every unmapped item names {@code
 * file:line:column}. Not thread-safe (one per import).
 */
final class Sources {
    static final long MAX_FILE_BYTES = 8L << 20;
    static final long MAX_TOTAL_BYTES = 64L << 20;
    static final int MAX_GLOB_FILES = 1000;
    /** The most directory entries all the globs of one import visit. */
    static final int MAX_GLOB_VISITS = 100_000;

    private static final ObjectMapper YAML = Yaml.mapper().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Why a file could not be used, in one line. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    /** A file that does not parse: the place and the parser's problem. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private final Map<JsonNode, Path> origin = new IdentityHashMap<>();
    private final List<Path> roots;
    private final Set<Path> open = new HashSet<>();
    private long totalBytes;
    private final int maxGlobVisits;
    private long globVisits;

    /**
     * @param roots the folders whose trees may be read, real paths (the config's folder first, then
     *     any {@code --allow-outside} folder)
     */
    Sources(List<Path> roots) {
        this(roots, MAX_GLOB_VISITS);
    }

    /** As {@link #Sources(List)}, all globs together visiting at most {@code maxGlobVisits} entries. */
    Sources(List<Path> roots, int maxGlobVisits) {
        this.roots = List.copyOf(roots);
        this.maxGlobVisits = maxGlobVisits;
    }

    /** The real path of an existing folder, for {@link #Sources(List)}. */
    static Path realFolder(Path folder) throws Unreadable {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            throw new Unreadable("cannot read the folder " + folder);
        }
    }

    /**
     * Marks a file as being read; false when it already is (a cycle of references), and then it
     * must not be read. Pair with {@link #leave}.
     */
    boolean enter(Path file) {
        return open.add(file.toAbsolutePath().normalize());
    }

    void leave(Path file) {
        open.remove(file.toAbsolutePath().normalize());
    }

    /** The text of {@code file}, counted against the total. */
    String text(Path file) throws Unreadable {
        String text;
        try {
            text = BoundedFiles.readText(file, MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            throw new Unreadable("no such file " + file);
        } catch (BoundedFiles.Refused e) {
            throw new Unreadable(e.getMessage());
        } catch (IOException e) {
            throw new Unreadable("cannot read " + file + ": " + e.getMessage());
        }
        totalBytes += text.getBytes(StandardCharsets.UTF_8).length;
        if (totalBytes > MAX_TOTAL_BYTES) {
            throw new Unreadable("the files read pass " + MAX_TOTAL_BYTES + " bytes in all; " + file + " is not read");
        }
        return text;
    }

    /** The YAML (or JSON) tree of {@code file}, every node located. */
    JsonNode tree(Path file) throws Unreadable, Invalid {
        return parse(file, text(file));
    }

    JsonNode parse(Path file, String text) throws Invalid {
        JsonNode root;
        try (JsonParser parser = new NoAliases(YAML.getFactory().createParser(text))) {
            JsonNodeFactory nodes = LocationJsonNodeFactoryFactory.getInstance().getJsonNodeFactory(parser);
            root = YAML.reader(nodes).readTree(parser);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String problem = e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !l.startsWith(" "))
                    .reduce((a, b) -> b).orElse("not valid YAML").strip();
            throw new Invalid(file + ":" + (at == null ? 1 : Math.max(1, at.getLineNr())) + ":"
                    + (at == null ? 1 : Math.max(1, at.getColumnNr())) + ": " + problem);
        } catch (IOException e) {
            throw new Invalid(file + ":1:1: cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new Invalid(file + ":1:1: the file is empty");
        }
        remember(root, file);
        return root;
    }

    private void remember(JsonNode node, Path file) {
        origin.put(node, file);
        node.forEach(child -> remember(child, file));
    }

    /** {@code file:line:column} of a node from a parsed file; the file alone for anything else. */
    String where(JsonNode node, Path fallback) {
        Path file = origin.getOrDefault(node, fallback);
        JsonLocation at = node == null ? null : JsonNodes.tokenStreamLocationOf(node);
        if (at == null) {
            return file + ":1:1";
        }
        return file + ":" + Math.max(1, at.getLineNr()) + ":" + Math.max(1, at.getColumnNr());
    }

    /** The file a node was read from, or {@code fallback}. */
    Path fileOf(JsonNode node, Path fallback) {
        return origin.getOrDefault(node, fallback);
    }

    /**
     * The files a {@code file://} reference names, relative to {@code dir}: one file, or a glob's
     * matches in name order, each its real path. A part after the file name ({@code file://x.py:fn})
     * is kept by callers. A file outside the allowed folders, or a glob whose fixed part is, is
     * {@link Unreadable}: "outside the config's folder".
     */
    List<Path> resolve(Path dir, String reference) throws Unreadable {
        String rel = reference.startsWith("file://") ? reference.substring("file://".length()) : reference;
        if (rel.contains("://")) {
            throw new Unreadable("a URL is never fetched");
        }
        if (!(rel.contains("*") || rel.contains("?") || rel.contains("{") || rel.contains("["))) {
            Path file = dir.resolve(rel).normalize();
            if (!Files.exists(file)) {
                return List.of(confined(file)); // reading it says "no such file", unless it is outside
            }
            return List.of(confined(real(file)));
        }
        Path pattern = dir.resolve(rel).normalize();
        Path root = pattern.getRoot() == null ? Path.of("") : pattern.getRoot();
        int depth = 0;
        for (Path part : pattern) {
            String p = part.toString();
            if (p.contains("*") || p.contains("?") || p.contains("{") || p.contains("[")) {
                break;
            }
            root = root.resolve(p);
            depth++;
        }
        int maxDepth = pattern.getNameCount() - depth + (rel.contains("**") ? 8 : 0);
        if (!Files.isDirectory(root)) {
            confined(root);
            return List.of();
        }
        Path realRoot = confined(real(root));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:"
                + realRoot.resolve(root.relativize(pattern)).toString().replace("\\", "\\\\"));
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(realRoot, maxDepth)) {
            Iterator<Path> entries = walk.iterator();
            while (entries.hasNext()) {
                Path entry = entries.next();
                if (++globVisits > maxGlobVisits) {
                    throw new Unreadable("the globs of this import pass " + maxGlobVisits + " entries visited; "
                            + reference + " is not expanded");
                }
                if (matcher.matches(entry) && Files.isRegularFile(entry)) {
                    Path file = real(entry);
                    if (inside(file)) { // a symlink out of the tree is not followed
                        found.add(file);
                    }
                    if (found.size() > MAX_GLOB_FILES) {
                        throw new Unreadable("the glob matches more than " + MAX_GLOB_FILES + " files");
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new Unreadable("cannot list " + root);
        }
        found.sort(null);
        return found;
    }

    private static Path real(Path file) throws Unreadable {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new Unreadable("cannot read " + file);
        }
    }

    private boolean inside(Path real) {
        return roots.stream().anyMatch(real::startsWith);
    }

    private Path confined(Path file) throws Unreadable {
        if (!inside(file)) {
            throw new Unreadable("outside the config's folder (" + file + "): not read; --allow-outside FOLDER reads it");
        }
        return file;
    }

    /** Refuses YAML aliases: Jackson would read {@code *name} as the word {@code name}. */
    private static final class NoAliases extends JsonParserDelegate {
        NoAliases(JsonParser parser) {
            super(parser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            if (t != null && delegate instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                throw new JsonParseException(delegate, "YAML aliases (*" + yaml.getText()
                        + ") are not supported by sonde import: write the value out", yaml.currentTokenLocation());
            }
            return t;
        }
    }
}
