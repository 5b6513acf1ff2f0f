package dev.sonde.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.RunInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Where a run came from: the git commit and emulator seed the run recorded at its start (else the
 * checkout's commit at report time), and the request body of each case × model — as the session
 * sent it, or, for a re-rendered run, as its suite file builds it now when that still matches the
 * run's {@code request_hashes} ({@link Reports.Rebuilt}, made by the caller: the report room never
 * loads a suite). Never fails: git absent or not a repository give an explicit "unknown" text, and
 * missing bodies an empty map with a note saying why. The git call is bounded by
 * {@value #GIT_TIMEOUT_SECONDS} s.
 *
 * @param requests {@code case/model} → the Messages API body the suite builds (repeat 0), or null;
 *     asked only for the rows the report shows
 * @param requestNote why {@code requests} is empty, or where the bodies came from
 */
record Provenance(String gitCommit, String seed, Function<String, ObjectNode> requests, String requestNote) {
    static final int GIT_TIMEOUT_SECONDS = 3;
    static final String UNKNOWN = "unknown";

    static String key(String caseId, String model) {
        return caseId + "/" + model;
    }

    /**
     * The provenance of a run whose request bodies the session still holds (case/model → the body
     * of repeat 0, as sent): nothing is re-loaded.
     */
    static Provenance of(RunInfo info, Path outDir, Function<String, ObjectNode> sent) {
        return of(info, outDir, null, sent, "As this run sent it (the first repeat of each case on each model).");
    }

    /**
     * The provenance of a run whose request bodies nobody holds now (a standalone render): the seed
     * and commit as the run recorded them, and no bodies.
     */
    static Provenance of(RunInfo info, Path outDir) {
        return of(info, outDir, null, key -> null, "The request bodies are shown in the report the run writes, and by"
                + " `sonde report` when the run's suite file is still where the run found it.");
    }

    /**
     * The provenance of a re-rendered run ({@code sonde report}) from what its suite file builds now:
     * only the bodies whose hash matches the one the run recorded at its start are kept (a run made
     * before hashes were recorded keeps them all), and the note says how many went.
     */
    static Provenance of(RunInfo info, Path outDir, Reports.Rebuilt rebuilt) {
        Map<String, ObjectNode> requests = new HashMap<>(rebuilt.bodies());
        String note = rebuilt.note();
        int changed = dropChanged(requests, rebuilt.hashes(), info == null ? Map.of() : info.requestHashes());
        if (changed > 0) {
            note += " " + changed + (changed == 1 ? " request is" : " requests are") + " not shown: the suite"
                    + " now builds a different body than this run sent (its request_hashes).";
        }
        Map<String, ObjectNode> kept = Map.copyOf(requests);
        return of(info, outDir, rebuilt.seed(), kept::get, note);
    }

    /**
     * Removes the rebuilt bodies whose hash differs from the one the run recorded at its start (a run
     * made before hashes were recorded keeps them all); returns how many went.
     */
    private static int dropChanged(Map<String, ObjectNode> requests, Map<String, String> now, Map<String, String> sent) {
        if (sent.isEmpty()) {
            return 0;
        }
        int dropped = 0;
        for (var it = requests.keySet().iterator(); it.hasNext(); ) {
            String key = it.next();
            if (!java.util.Objects.equals(now.get(key), sent.get(key))) {
                it.remove();
                dropped++;
            }
        }
        return dropped;
    }

    /** The seed and commit, from the run's metadata first (the suite's seed and git are fallbacks). */
    private static Provenance of(RunInfo info, Path outDir, Long suiteSeed, Function<String, ObjectNode> requests,
            String note) {
        String seed;
        if (info != null && info.emulatorSeed() != null) {
            seed = Long.toString(info.emulatorSeed());
        } else if (info != null && info.live()) {
            seed = "— (live API)";
        } else if (suiteSeed != null) {
            seed = Long.toString(suiteSeed);
        } else {
            seed = UNKNOWN;
        }
        Path suiteFile = info == null || info.suiteFile() == null ? null : Path.of(info.suiteFile());
        Path gitDir = suiteFile != null && Files.isRegularFile(suiteFile)
                ? suiteFile.toAbsolutePath().getParent() : outDir;
        String commit = info != null && info.gitCommit() != null ? info.gitCommit() : gitCommit(gitDir);
        return new Provenance(commit, seed, requests, note);
    }

    /** {@code git rev-parse HEAD} in {@code dir}, shortened, with "+dirty" when tracked files changed; else {@value #UNKNOWN}. */
    static String gitCommit(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return UNKNOWN;
        }
        Git head = git(dir, List.of("git", "rev-parse", "HEAD"), true);
        if (head == null || head.exit() != 0 || !head.out().matches("[0-9a-f]{7,64}")) {
            return UNKNOWN;
        }
        Git dirty = git(dir, List.of("git", "diff-index", "--quiet", "HEAD", "--"), false);
        return head.out().substring(0, 12) + (dirty != null && dirty.exit() == 1 ? "+dirty" : "");
    }

    private record Git(int exit, String out) {}

    /** Runs git with a time limit; null when it could not run or took too long. */
    private static Git git(Path dir, List<String> cmd, boolean capture) {
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE);
            if (!capture) {
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return null;
            }
            String out = "";
            if (capture) {
                try (InputStream in = p.getInputStream()) {
                    out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
                }
            }
            return new Git(p.exitValue(), out);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
