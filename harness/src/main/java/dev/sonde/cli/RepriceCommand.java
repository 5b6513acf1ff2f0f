package dev.sonde.cli;

import dev.sonde.journal.AtomicFile;
import dev.sonde.metrics.Fmt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Repricing;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sonde reprice RUN_DIR --model M [--pricing FILE] [--json]}: the recorded usage of a
 * finished run at another model's prices ({@link Repricing}), without calling any API. {@code M} is
 * a model id or a platform price key ({@code vertex/global/claude-haiku-4-5@20251001}); the table
 * then names the platform. Prints a
 * table per source model and in total (trials, recorded $, repriced $, ratio), or with
 * {@code --json} the JSON, and writes the JSON to {@code RUN_DIR/reprice-<model>.json} (characters
 * other than letters, digits, {@code .}, {@code _} and {@code -} in the model become {@code _}).
 * The journal is read in one streaming pass. Exit 0 when written, 2 when RUN_DIR is not a finished
 * run, the pricing file is bad or the target model has no price (one line each), 3 when the file
 * cannot be written.
 */
@Command(name = "reprice", mixinStandardHelpOptions = true,
        description = "Re-price a finished run's recorded usage under another model's prices (no API call).",
        footer = {"", "The same tokens at the other price: other model families tokenize differently.",
            "Exit codes: 0 written, 2 RUN_DIR is not a finished run or the model has no price, 3 the file could not"
                    + " be written."})
public final class RepriceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run's output folder (holds results.json and trials.jsonl).")
    Path runDir;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "The API model id whose prices to apply, e.g. claude-haiku-4-5, or a platform price key,"
                    + " e.g. bedrock/us-east-1/us.anthropic.claude-haiku-4-5-20251001-v1:0 or vertex/global/claude-haiku-4-5@20251001.")
    String model;

    @Option(names = "--pricing", paramLabel = "FILE", description = "A pricing YAML that extends the built-in table.")
    Path pricing;

    @Option(names = "--json", description = "Print the JSON instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Path journal = runDir.resolve("trials.jsonl");
        if (!Files.isRegularFile(journal) || !Files.isRegularFile(runDir.resolve("results.json"))) {
            err.println("sonde: " + runDir + " is not a finished run: it needs results.json and trials.jsonl");
            return Main.BAD_INPUT;
        }
        Repricing repricing;
        try {
            PricingTable table = pricing == null ? PricingTable.defaults() : PricingTable.defaults().extendedBy(pricing);
            repricing = Repricing.to(model, table);
        } catch (IOException | IllegalArgumentException e) {
            err.println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        try (Stream<TrialResult> trials = Journal.read(journal)) {
            trials.forEach(t -> repricing.add(t.model(), t.modelId(), t.usage(), t.costUsd(), t.skipped() != null));
        } catch (IOException e) {
            err.println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (UncheckedIOException e) {
            err.println("sonde: " + e.getCause().getMessage());
            return Main.BAD_INPUT;
        }
        Map<String, String> platforms;
        try {
            platforms = RunInfo.readFrom(runDir).map(RunInfo::platforms).orElse(Map.of());
        } catch (IOException e) {
            err.println("sonde: " + runDir.resolve(RunInfo.FILE) + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        Repricing.Report report = repricing.report();
        ObjectNode doc = Journal.JSON.createObjectNode();
        doc.put("run_dir", runDir.toAbsolutePath().normalize().toString());
        doc.setAll((ObjectNode) Journal.JSON.valueToTree(report));
        Path file = runDir.resolve("reprice-" + model.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
        String text;
        try {
            text = Journal.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json) {
            out.println(text);
        } else {
            printTable(out, report, platforms);
        }
        try {
            AtomicFile.write(file, w -> w.write(text + "\n"));
        } catch (IOException e) {
            err.println("sonde: cannot write " + file + ": " + e.getMessage());
            return Main.CANNOT_PROCEED;
        }
        if (!json) {
            out.println("reprice: " + file.toAbsolutePath().normalize());
        }
        return Main.PASSED;
    }

    /** @param platforms source model label → the cloud platform it ran on (run.json), shown beside the label */
    private void printTable(PrintWriter out, Repricing.Report report, Map<String, String> platforms) {
        out.println("Repricing " + runDir + " at " + report.targetModel()
                + (report.targetPlatform() == null ? "" : " (" + report.targetPlatform() + ")") + " prices ("
                + Fmt.usdExact(report.targetInputUsdPerMTok()) + "/MTok in, " + Fmt.usdExact(report.targetOutputUsdPerMTok())
                + "/MTok out; pricing " + report.pricingVersion() + ")");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "model id", "trials", "recorded $", "repriced $", "ratio"});
        for (Repricing.Row r : report.models()) {
            String platform = platforms.get(r.model());
            rows.add(cells(platform == null ? r.model() : r.model() + " (" + platform + ")", r.modelId(), r));
        }
        rows.add(cells("total", "", report.total()));
        int[] width = new int[6];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i < 2 ? r[i] + pad : pad + r[i]).append(i < r.length - 1 ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
        Repricing.Row total = report.total();
        if (total.unpricedTrials() > 0) {
            out.println(total.unpricedTrials() + " trial(s) had no recorded cost (unpriced when run): ratios compare the "
                    + total.comparedTrials() + " trial(s) that had one");
        }
        if (total.skippedTrials() > 0) {
            out.println(total.skippedTrials() + " skipped trial(s) were never sent and are not counted");
        }
        out.println("Note: " + Repricing.CAVEAT + ".");
    }

    private static String[] cells(String model, String modelId, Repricing.Row r) {
        return new String[] {
            model == null ? "" : model,
            modelId == null ? "" : modelId,
            Long.toString(r.trials()),
            r.recordedUsd() == null ? "unpriced" : Fmt.usdExact(r.recordedUsd())
                    + (r.unpricedTrials() > 0 ? " (" + r.unpricedTrials() + " unpriced)" : ""),
            Fmt.usdExact(r.repricedUsd()),
            r.ratio() == null ? "-" : String.format(Locale.ROOT, "%.3fx", r.ratio())};
    }

    /** Two decimals from $1, six below, so per-run costs of cents stay readable. */
}
