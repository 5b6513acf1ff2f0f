package dev.sonde.analysis;

import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.PricingTable;
import dev.sonde.run.LoadDetail;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.LoadTimeline;
import dev.sonde.run.StepResult;
import dev.sonde.suite.LoadSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run says, learnt in one streaming pass over its journal: its summary ({@link RunSummary}),
 * the aggregates (run, model,
 * case × model: counts, latency distributions, tokens and cost by kind), what graders spent, how
 * many answers were emulator filler ({@link FillerCount}), how
 * tool loops used their turns, the trials that did not pass, those never sent ({@link SkippedTrials}), the cache variants' ranking and —
 * when asked, for the HTML report — the case rows and per-model latency distributions
 * ({@link CaseScan}). Every verdict and output of a run takes its numbers from here.
 *
 * <p>Made empty by {@link #begin}; its {@link #folds()} go into the run's one {@link JournalPass}
 * (beside the folds of outputs written as the pass goes); then {@link #finish} records which parts
 * failed on the way. {@link #read} does all three for callers outside a run.
 *
 * <p><b>Memory</b> grows with models, cases and variants, never with trials: per case × model a
 * fixed set of counters and distributions ({@link Aggregate}: exact up to 256 values, then an
 * HdrHistogram of 3 significant digits), per run at most {@value Failures#MAX_SHOWN} whole failing
 * trials and, in the case scan, at most {@value CaseScan#MAX_ROWS} × 2 representative trials. Not
 * thread-safe; read-only once finished.
 */
public final class RunAnalysis {
    /** The parts that can fail apart during the pass. */
    public enum Part {
        /** Summary, aggregates and model ids: every verdict and {@code results.json} need them. */
        AGGREGATES,
        /** Grader totals, filler count, turns, failures, cache variants: the summary, the report and {@code results.json}. */
        READINGS,
        /** The HTML report's case rows and distributions. */
        CASE_SCAN
    }

    private final RunInfo info;
    private final RunSummary summary = new RunSummary();
    private RunSummary.Snapshot summarySnapshot;
    private Aggregates aggregates = new Aggregates();
    private final Map<String, String> modelIds = new LinkedHashMap<>();
    private final GraderTotals grader = new GraderTotals();
    private final FillerCount filler = new FillerCount();
    private final TurnSummary.Fold turns = new TurnSummary.Fold();
    private final Failures failures = new Failures();
    private final SkippedTrials skipped = new SkippedTrials();
    private final CacheVariantAnalysis variants;
    private final CaseScan scan;
    private final Path outDir;
    private CompareWinners compared = CompareWinners.none();
    private final Map<Part, Exception> failed = new LinkedHashMap<>();
    private final TrialFold measures;
    private Optional<CacheVariantReport> variantReport;
    private LoadSpec load;
    private LoadRunner.StepFold steps;
    private LoadTimeline.Fold timeline;
    private TrialFold stepsFold;
    private TrialFold timelineFold;

    private RunAnalysis(RunInfo info, Path outDir, PricingTable pricing, boolean withCaseScan) {
        this.info = info;
        if (info != null && info.models() != null) {
            info.models().forEach(m -> modelIds.put(m.id(), m.model()));
        }
        CacheVariantAnalysis v = null;
        try {
            v = outDir == null ? null : CacheVariantAnalysis.forRun(outDir);
        } catch (IOException | RuntimeException e) {
            failed.put(Part.READINGS, e);
        }
        this.variants = v;
        this.outDir = outDir;
        this.scan = withCaseScan ? new CaseScan(info) : null;
        this.measures = t -> {
            summary.add(t);
            aggregates.add(t.caseId(), t.model(), TrialMeasures.of(t, pricing));
            modelIds.putIfAbsent(t.model(), t.modelId());
        };
    }

    /**
     * An empty analysis of a run, to be fed by its pass over the journal.
     *
     * @param info what the run recorded at start (model labels and ids), or null
     * @param outDir the run folder ({@code variants.json} is read from it), or null
     * @param pricing the run's pricing table, which splits each trial's cost by token kind
     * @param withCaseScan also keep the HTML report's case rows and distributions
     */
    public static RunAnalysis begin(RunInfo info, Path outDir, PricingTable pricing, boolean withCaseScan) {
        return new RunAnalysis(info, outDir, pricing, withCaseScan);
    }

    /** The analysis of the journal in {@code outDir}, from a pass of its own (for callers outside a run). */
    public static RunAnalysis read(Path journal, RunInfo info, Path outDir, PricingTable pricing, boolean withCaseScan)
            throws IOException {
        RunAnalysis a = begin(info, outDir, pricing, withCaseScan);
        a.finish(JournalPass.run(journal, a.folds()));
        return a;
    }

    /**
     * Also rebuilds a benchmark's steps ({@code load:}) from its journaled requests, exactly as they
     * were recorded live ({@link LoadRunner#steps}), with their percentile curves and the run per
     * second ({@link LoadTimeline}); part of {@link Part#AGGREGATES}.
     */
    public RunAnalysis withSteps(LoadSpec spec) {
        load = spec;
        steps = LoadRunner.steps(spec);
        stepsFold = steps::accept;
        timeline = LoadTimeline.fold(spec);
        timelineFold = timeline::accept;
        return this;
    }

    /**
     * Closes each case once its trials are all in ({@link Aggregates#closing}, {@link
     * CaseScan#closing}), so the aggregates and the case scan hold only the cases in flight (and
     * those the report shows). Call before the pass; for a run whose plan is known.
     */
    public RunAnalysis closingCases(java.util.function.ToIntFunction<String> trialsPerCase) {
        aggregates = Aggregates.closing(trialsPerCase);
        if (scan != null) {
            scan.closing(trialsPerCase);
        }
        return this;
    }

    /** What the pass over the journal must feed. */
    public List<TrialFold> folds() {
        List<TrialFold> folds = new ArrayList<>(List.of(measures));
        if (stepsFold != null) {
            folds.add(stepsFold);
            folds.add(timelineFold);
        }
        if (!failed.containsKey(Part.READINGS)) {
            folds.addAll(List.of(grader, filler, turns, failures, skipped));
            if (variants != null) {
                folds.add(variants);
            }
        }
        if (scan != null) {
            folds.add(scan);
        }
        return folds;
    }

    /** Records which of this analysis' folds failed in {@code pass}; other folds' failures are not its business. */
    public RunAnalysis finish(JournalPass.Result pass) {
        try { // written after the run's last trial (the compare pass), so read at the end of the pass
            compared = outDir == null ? compared : CompareWinners.of(CompareVerdicts.current(outDir));
        } catch (IOException | RuntimeException e) {
            failed.putIfAbsent(Part.READINGS, e);
        }
        for (JournalPass.Failure f : pass.failures()) {
            TrialFold fold = f.fold();
            if (fold == measures || fold == stepsFold || fold == timelineFold) {
                failed.putIfAbsent(Part.AGGREGATES, f.cause());
            } else if (fold == scan) {
                failed.putIfAbsent(Part.CASE_SCAN, f.cause());
            } else if (fold == grader || fold == filler || fold == turns || fold == failures || fold == skipped
                    || fold == variants) {
                failed.putIfAbsent(Part.READINGS, f.cause());
            }
        }
        return this;
    }

    /** The parts that failed during the pass, with why (empty when all held). */
    public Map<Part, Exception> failed() {
        return Collections.unmodifiableMap(failed);
    }

    /** What the run recorded at its start, or null for an old run folder. */
    public RunInfo info() {
        return info;
    }

    /**
     * The run's summary, overall and per model label (counts, error classes, latency, tokens,
     * cost): what the console, {@code results.json}'s {@code summary}, the Markdown and HTML headers
     * and the run's verdict show. Taken once the pass is finished.
     */
    public RunSummary.Snapshot summary() {
        if (summarySnapshot == null) {
            summarySnapshot = summary.snapshot();
        }
        return summarySnapshot;
    }

    /** The aggregates as fed so far (read-only use). */
    public Aggregates aggregates() {
        return aggregates;
    }

    /** Model label → model id, as the run recorded them, then as the journal named them. */
    public Map<String, String> modelIds() {
        return Collections.unmodifiableMap(modelIds);
    }

    /** Who won each case's compare assertions ({@code compare.jsonl}); empty without them. */
    public CompareWinners compared() {
        return compared;
    }

    /** What grader models spent. */
    public GraderTotals grader() {
        return grader;
    }

    /** How many answers were emulator filler (no rule matched). */
    public FillerCount filler() {
        return filler;
    }

    /** Tool-loop trials by turn index, or null when no trial had several requests. */
    public TurnSummary turns() {
        return turns.summary();
    }

    /** The trials that did not pass. */
    public Failures failures() {
        return failures;
    }

    /** The trials never sent, by the reason journaled with them. */
    public SkippedTrials skipped() {
        return skipped;
    }

    /** A benchmark's steps, in order; empty unless asked for with {@link #withSteps}. */
    public List<StepResult> steps() {
        return steps == null ? List.of() : steps.steps();
    }

    /** A benchmark's percentile curves, timeline and SLO bounds; null unless asked for with {@link #withSteps}. */
    public LoadDetail loadDetail() {
        return steps == null ? null : LoadDetail.of(load, steps, timeline);
    }

    /** The HTML report's case rows and distributions; null unless asked for at {@link #begin}. */
    public CaseScan caseScan() {
        return scan;
    }

    /** The cache variants' report; empty for a run without variants. */
    public Optional<CacheVariantReport> cacheVariants() {
        if (variantReport == null) {
            variantReport = variants == null ? Optional.empty() : Optional.of(variants.report());
        }
        return variantReport;
    }
}
