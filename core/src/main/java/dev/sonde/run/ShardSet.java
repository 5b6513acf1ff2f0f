package dev.sonde.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Whether the runs given to {@code sonde merge} are exactly the {@code n} shards of one plan, told
 * from what each run recorded at its start ({@code run.json}'s {@code shard}), never from folder
 * names or run ids. Refused whatever is asked: a run that is itself a merge, a run of the whole plan
 * beside others, shards of different splits ({@code 1/3} with {@code 2/4}), one shard given twice.
 * Refused unless {@code --allow-partial}: missing shards, and runs that recorded no shard (made
 * before shards were recorded: nothing says which share they hold). A run of the whole plan merged
 * alone is the whole plan, as {@code 1/1}. Plan and suite agreement is checked by {@link Merge}.
 */
final class ShardSet {
    private ShardSet() {}

    /** What a run's {@code run.json} says of its share of the plan. */
    sealed interface Share permits Sharded, Whole, Unrecorded {}

    /** It ran shard {@code shard} ({@code --shard k/n}). */
    record Sharded(RunInfo.Shard shard) implements Share {}

    /** It ran the whole plan ({@code "shard": null}). */
    record Whole() implements Share {}

    /** It recorded nothing of shards: no {@code run.json}, or one written before shards were recorded. */
    record Unrecorded() implements Share {}

    /** A run to merge: its folder, its metadata from {@code results.json} and its share from {@code run.json}. */
    record Member(Path dir, RunInfo info, Share share) {}

    /**
     * Reads {@code run.json} in {@code dir} as far as its {@code shard} key, skipping the rest unread
     * (its request hashes run to megabytes in a large plan).
     *
     * @throws IOException when {@code run.json} is there but not JSON, or its shard is not a k/n
     */
    static Share shareOf(Path dir) throws IOException {
        Path file = dir.resolve(RunInfo.FILE);
        if (!Files.isRegularFile(file)) {
            return new Unrecorded();
        }
        try (InputStream in = Files.newInputStream(file); JsonParser p = Journal.JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + " is not a run's metadata (a JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("shard")) {
                    p.skipChildren();
                    continue;
                }
                if (value == JsonToken.VALUE_NULL) {
                    return new Whole();
                }
                JsonNode shard = Journal.JSON.readTree(p);
                if (!shard.path("k").isInt() || !shard.path("n").isInt()) {
                    throw new IOException(file + ": shard is not {k, n} (whole numbers)");
                }
                try {
                    return new Sharded(new RunInfo.Shard(shard.get("k").intValue(), shard.get("n").intValue()));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": " + e.getMessage());
                }
            }
            return new Unrecorded();
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * What the merge of {@code members} joins.
     *
     * @param allowPartial {@code --allow-partial}: merge a set with missing or unrecorded shards, marked partial
     * @throws IOException one line saying what is wrong with the set and how to merge it
     */
    static RunInfo.Merged check(List<Member> members, boolean allowPartial) throws IOException {
        for (Member m : members) {
            if (m.info().merged() != null) {
                throw new IOException(m.dir() + " is a merged run already: merge the shard folders it was made of");
            }
        }
        List<Member> whole = members.stream().filter(m -> m.share() instanceof Whole).toList();
        if (!whole.isEmpty()) {
            if (members.size() == 1) {
                return RunInfo.Merged.of(1, List.of(1), List.of(), 0);
            }
            throw new IOException(whole.get(0).dir() + " ran the whole plan (no --shard), so it cannot be merged with "
                    + "other runs: merge only the folders of sonde run --shard k/n");
        }
        Map<Integer, Member> byK = new TreeMap<>();
        Member first = null; // the first run that recorded its shard: the others must be of its split
        int unrecorded = 0;
        for (Member m : members) {
            if (!(m.share() instanceof Sharded(RunInfo.Shard shard))) {
                unrecorded++;
                continue;
            }
            if (first == null) {
                first = m;
            } else if (shardOf(first).n() != shard.n()) {
                throw new IOException("shards of different splits: " + first.dir() + " is " + shardOf(first) + ", "
                        + m.dir() + " is " + shard + ": merge the n shards of one --shard k/n split");
            }
            Member twin = byK.putIfAbsent(shard.k(), m);
            if (twin != null) {
                throw new IOException("shard " + shard + " given twice (" + twin.dir() + ", " + m.dir()
                        + "): merge each shard once");
            }
        }
        Integer n = first == null ? null : shardOf(first).n();
        List<Integer> have = List.copyOf(byK.keySet());
        List<Integer> missing = n == null ? List.of()
                : IntStream.rangeClosed(1, n).filter(k -> !byK.containsKey(k)).boxed().toList();
        RunInfo.Merged merged = RunInfo.Merged.of(n, have, missing, unrecorded);
        if (allowPartial) {
            return merged;
        }
        if (unrecorded > 0) {
            Member unknown = members.stream().filter(m -> m.share() instanceof Unrecorded).findFirst().orElseThrow();
            throw new IOException(unknown.dir() + " records no shard (a run made before Sonde recorded --shard k/n), so "
                    + "the set is not known to be whole: run it again, or merge with --allow-partial (verdict PARTIAL)");
        }
        if (!missing.isEmpty()) {
            List<String> haveText = new ArrayList<>();
            have.forEach(k -> haveText.add(k + "/" + n));
            throw new IOException(merged.lacking() + " (have " + String.join(", ", haveText) + " of "
                    + plan(members.get(0).info()) + "): merge all " + n + ", or pass --allow-partial (verdict PARTIAL)");
        }
        return merged;
    }

    private static RunInfo.Shard shardOf(Member m) {
        return ((Sharded) m.share()).shard();
    }

    /** {@code plan sha256:ab12cd34ef56…}, or the suite's name for runs made before plans were hashed. */
    private static String plan(RunInfo info) {
        String hash = info.planHash();
        return hash != null && hash.length() > 19 ? "plan " + hash.substring(0, 19) + "…" : "suite '" + info.suite() + "'";
    }
}
