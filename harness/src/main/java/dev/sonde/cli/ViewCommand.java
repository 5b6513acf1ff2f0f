package dev.sonde.cli;

import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.HistoryStores;
import dev.sonde.history.ViewOptions;
import dev.sonde.history.Viewer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sonde view}: serves the run history store as local web pages (runs, a suite's trends, the
 * diff of two runs, each run's report) on 127.0.0.1 until Ctrl-C or SIGTERM, which close the server.
 * Prints {@code view: http://127.0.0.1:<port>/} once it listens. A browser is opened only with
 * {@code --open}, and only through {@code xdg-open} or {@code open} when one is on the PATH. Without
 * the history module: one line saying where Sonde looked, exit 2.
 */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = {"Browse the run history store in a local web viewer (needs sonde-history.jar): runs with"
                + " filters, a suite's trends across commits with the baseline's gates, the diff of two runs and"
                + " each run's report.",
            "Listens on 127.0.0.1 only and answers only to a loopback Host; it reads the store for each page and"
                + " never holds it, so runs and imports go on while it is open. Ctrl-C stops it."},
        footer = {"", "Exit codes: 0 stopped, 2 a port that cannot be used or no history module in this build."})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Option(names = "--store", paramLabel = "PATH", description = "The store file (default: ${DEFAULT-VALUE}).")
    Path store = HistoryCommand.DEFAULT_STORE;

    @Option(names = "--port", paramLabel = "N", description = "The port on 127.0.0.1 (default: any free one).")
    int port;

    @Option(names = "--open", negatable = true, defaultValue = "false",
            description = "Open the page in the desktop's browser with xdg-open or open (default: --no-open).")
    boolean open;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            err.println("sonde view: --port must be 0 to 65535, not " + port);
            return Main.BAD_INPUT;
        }
        HistoryStore history;
        switch (main.historyStore()) {
            case HistoryStores.Missing missing -> {
                err.println(missing.line("sonde view"));
                return Main.BAD_INPUT;
            }
            case HistoryStores.Found found -> history = found.store();
        }
        Viewer viewer;
        try {
            viewer = history.view(store, new ViewOptions(port, ViewOptions.DEFAULT_WAIT));
        } catch (HistoryException e) {
            err.println("sonde " + e.getMessage());
            return Main.BAD_INPUT;
        }
        // Ctrl-C or SIGTERM end join() by ending the JVM: the hook stops the server first
        Thread stop = new Thread(viewer::close, "sonde-view-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            out.println("view: " + viewer.uri());
            out.println("view: " + (Files.isRegularFile(store) ? "reading " : "no store yet at ") + store.toAbsolutePath()
                    + "; Ctrl-C stops");
            out.flush();
            if (open) {
                out.println(browse(viewer.uri().toString()));
                out.flush();
            }
            viewer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // embedded use: the caller's thread asked to stop
        } finally {
            viewer.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it closes the viewer
            }
        }
        return Main.PASSED;
    }

    /** Starts {@code xdg-open} (or macOS's {@code open}) with the page; one line saying what happened. */
    private static String browse(String uri) {
        for (String opener : new String[] {"xdg-open", "open"}) {
            if (onPath(opener)) {
                try {
                    new ProcessBuilder(opener, uri).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    return "view: opened with " + opener;
                } catch (IOException e) {
                    return "view: " + opener + " failed (" + e.getMessage() + "); open " + uri + " yourself";
                }
            }
        }
        return "view: no xdg-open or open on the PATH; open " + uri + " yourself";
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
