package dev.sonde.cli;

import dev.sonde.check.Embedder;
import dev.sonde.cli.promptfoo.PromptfooImport;
import dev.sonde.cli.promptfoo.Secrets;
import dev.sonde.cli.promptfoo.Unmapped;
import dev.sonde.session.Lint;
import dev.sonde.session.SuiteSession;
import dev.sonde.suite.SuiteException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sonde import promptfoo CONFIG [--out suite.yaml]}: converts a promptfoo config into a Sonde
 * suite ({@link PromptfooImport}), loads the result as {@code sonde lint} does, every assertion built
 * as a run would build it (unless {@code --no-check}), reading files in the config's folder tree only
 * (and under each {@code --allow-outside FOLDER}), and reports {@code mapped X of Y items; unmapped: Z} with one {@code
 * file:line:col: what — why} line per item not carried over. Without {@code --out} the suite goes
 * to stdout and the report to stderr. Exit codes: 0 a suite was written (unmapped items or not); 1
 * with {@code --strict} and something unmapped, when nothing maps to a runnable suite, or when the
 * written suite does not load (the file is kept); 2 an unreadable or invalid config (one line). A
 * suite with {@code similar} or {@code answer-relevance} is written whole, but a build without an
 * embedder (no {@code -Pembeddings}) says once that it needs that build and checks it with those
 * assertions left out.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert another tool's configuration into a Sonde suite.",
        subcommands = {ImportCommand.Promptfoo.class})
final class ImportCommand {

    @Command(name = "promptfoo", mixinStandardHelpOptions = true,
            description = "Convert a promptfoo config (promptfooconfig.yaml or .json) into a Sonde suite, listing "
                    + "everything it could not map with its file:line:column.",
            footer = {"", "Exit codes: 0 a suite was written, 1 --strict and something unmapped, nothing to write, or the "
                    + "suite written does not load, 2 an unreadable or invalid config."})
    static final class Promptfoo implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CONFIG", description = "The promptfoo config file (YAML or JSON).")
        Path config;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the suite here (default: stdout, with the report on stderr).")
        Path out;

        @Option(names = "--strict", description = "Exit 1 when anything is unmapped (the suite is still written).")
        boolean strict;

        @Option(names = "--allow-outside", paramLabel = "FOLDER", description = "Also read files under FOLDER (repeatable); "
                + "by default only the config's folder tree is read, and a file:// outside it is listed as unmapped.")
        List<Path> allowOutside = new ArrayList<>();

        @Option(names = "--no-check", description = "Do not load the written suite with the suite loader.")
        boolean noCheck;

        @Override
        public Integer call() throws IOException {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter report = out == null ? err : stdout;
            PromptfooImport.Result result;
            try {
                result = PromptfooImport.of(config, suiteName(), allowOutside);
            } catch (PromptfooImport.BadConfig e) {
                err.println("sonde import: " + mask(e.getMessage()));
                return Main.BAD_INPUT;
            }
            if (result.yaml() == null) {
                printReport(report, result);
                err.println("sonde import: nothing written: " + result.why());
                return Main.CHECK_FAILED;
            }
            Path written;
            if (out != null) {
                try {
                    Path parent = out.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    Files.writeString(out, result.yaml());
                } catch (IOException e) {
                    err.println("sonde import: --out " + out + ": cannot write: " + e.getMessage());
                    return Main.BAD_INPUT;
                }
                written = out;
            } else {
                stdout.print(result.yaml());
                stdout.flush();
                written = noCheck ? null : Files.createTempFile("sonde-import-", ".yaml");
                if (written != null) {
                    Files.writeString(written, result.yaml());
                }
            }
            boolean withoutEmbedder = !result.embeddingTypes().isEmpty() && !embedderInstalled();
            String types = String.join(", ", result.embeddingTypes());
            printReport(report, result);
            if (withoutEmbedder) {
                report.println("note: this suite needs the -Pembeddings build (" + types + ")");
            }
            if (!noCheck) {
                Path checked = written;
                if (withoutEmbedder) { // this build would refuse them: check the rest, and say so
                    if (out == null) {
                        Files.writeString(written, result.yamlWithoutEmbeddings());
                    } else {
                        checked = Files.createTempFile("sonde-import-", ".yaml");
                        Files.writeString(checked, result.yamlWithoutEmbeddings());
                    }
                }
                try {
                    Lint.report(checked, "emulator", null); // loads it and builds every assertion as a run would
                } catch (SuiteException e) {
                    err.println(notLoading(e.getMessage(), checked, withoutEmbedder ? types : null));
                    return Main.CHECK_FAILED;
                } catch (SuiteSession.SetupException e) {
                    err.println(notLoading(e.getMessage(), checked, withoutEmbedder ? types : null));
                    return Main.CHECK_FAILED;
                } finally {
                    if (out == null || checked != written) {
                        Files.deleteIfExists(checked);
                    }
                }
                if (out != null) {
                    report.println(out + (withoutEmbedder ? ": loads with " + types + " left out (this build has no embedder)"
                            : ": loads"));
                }
            }
            return strict && !result.unmapped().isEmpty() ? Main.CHECK_FAILED : Main.PASSED;
        }

        /**
         * The loader's line, naming the suite written ({@code <stdout>} without {@code --out}) instead
         * of the scratch copy it read; {@code leftOut} names the embedding types the check left out.
         */
        private String notLoading(String message, Path checked, String leftOut) {
            String line = message.replace(checked.toString(), out == null ? "<stdout>" : out.toString());
            return "sonde import: the suite written does not load" + (out == null ? "" : " (the file is kept)")
                    + (leftOut == null ? "" : " (checked with " + leftOut + " left out, so its lines are of that copy)")
                    + ": " + mask(line);
        }

        /** Whether this build has an embedder (the {@code -Pembeddings} build's service), without loading its model. */
        static boolean embedderInstalled() {
            try {
                return ServiceLoader.load(Embedder.class, Embedder.class.getClassLoader()).stream().findAny().isPresent();
            } catch (ServiceConfigurationError e) {
                return true; // one is installed but broken: the full check says why
            }
        }

        private void printReport(PrintWriter report, PromptfooImport.Result result) {
            report.println(result.summary());
            for (Unmapped u : result.unmapped()) {
                report.println(mask(u.toString()));
            }
            for (String note : result.notes()) {
                report.println("note: " + mask(note));
            }
            report.flush();
        }

        private String suiteName() {
            Path source = out != null ? out : config;
            String file = source.getFileName() == null ? "imported" : source.getFileName().toString();
            if (out == null) {
                Path parent = config.toAbsolutePath().getParent();
                return parent == null || parent.getFileName() == null ? "imported" : parent.getFileName().toString();
            }
            return file.replaceAll("\\.(ya?ml|json)$", "");
        }

        /** Key-like tokens masked in anything printed (a config's own text may reach a parser message). */
        static String mask(String text) {
            return Secrets.mask(text);
        }
    }
}
