import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of bench/openloop.sh, from one open-loop benchmark's journal ({@code trials.jsonl},
 * step 0) and its {@code results.json}: achieved rate, streams in flight over the measured window
 * (a stream is in flight from its send to its completion; peak, and mean = the time integral over
 * the window / the window), start delay (send − intended start) of the measured requests, errors,
 * and TTFT of the measured successes. Percentiles are nearest-rank over every sample. Prints
 * figures; asserts nothing.
 *
 * <pre>java bench/OpenLoop.java TRIALS_JSONL RESULTS_JSON DURATION_S WARMUP_S</pre>
 *
 * <p>{@code java bench/OpenLoop.java floor RATE_PER_S SECONDS} is the machine's floor, run beside
 * Sonde: one bare platform thread keeping the same schedule with the same wait as Sonde's arrivals
 * thread (park until 200 µs before each instant, then spin), and how late it woke, the same
 * percentiles. Sonde's start delay cannot beat it: it is what the machine's other load costs any
 * thread that waits.
 */
public class OpenLoop {
    private static final Pattern LOAD = Pattern.compile("\"load\":\\{\"step\":(-?\\d+),\"intended_start_ms\":([-0-9.Ee]+),"
            + "\"sent_ms\":([-0-9.Ee]+),\"done_ms\":([-0-9.Ee]+),\"measured\":(true|false)");
    private static final Pattern TTFT = Pattern.compile("\"ttft_ms\":([0-9.Ee]+)");
    private static final Pattern ERROR_CLASS = Pattern.compile("\"error\":\\{[^}]*?\"class\":\"([a-z_]+)\"");
    private static final Pattern RATE = Pattern.compile("\"request_rate_per_s\"\\s*:\\s*([0-9.Ee]+)");

    public static void main(String[] args) throws IOException {
        if (args[0].equals("floor")) {
            floor(Double.parseDouble(args[1]), Double.parseDouble(args[2]));
            return;
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        String results = Files.readString(Path.of(args[1]));
        double windowStartMs = Double.parseDouble(args[3]) * 1000;
        double windowEndMs = Double.parseDouble(args[2]) * 1000;
        List<Double> delays = new ArrayList<>(), ttfts = new ArrayList<>();
        TreeMap<Double, Integer> changes = new TreeMap<>();
        Map<String, Integer> errors = new TreeMap<>();
        int requests = 0, measured = 0;
        for (String line : lines) {
            Matcher load = LOAD.matcher(line);
            if (!load.find() || Integer.parseInt(load.group(1)) != 0) {
                continue;
            }
            requests++;
            double intended = Double.parseDouble(load.group(2)), sent = Double.parseDouble(load.group(3)),
                    done = Double.parseDouble(load.group(4));
            changes.merge(sent, 1, Integer::sum);
            changes.merge(done, -1, Integer::sum);
            Matcher error = ERROR_CLASS.matcher(line);
            boolean failed = error.find();
            if (failed) {
                errors.merge(error.group(1), 1, Integer::sum);
            }
            if (!Boolean.parseBoolean(load.group(5))) {
                continue;
            }
            measured++;
            delays.add(sent - intended);
            Matcher ttft = TTFT.matcher(line);
            if (!failed && ttft.find()) {
                ttfts.add(Double.parseDouble(ttft.group(1)));
            }
        }
        int inFlight = 0, peak = 0;
        double area = 0, last = windowStartMs;
        for (Map.Entry<Double, Integer> e : changes.entrySet()) {
            double t = e.getKey();
            if (t > windowStartMs) {
                double to = Math.min(t, windowEndMs);
                if (to > last) {
                    area += inFlight * (to - last);
                    last = to;
                }
            }
            inFlight += e.getValue();
            if (t >= windowStartMs && t <= windowEndMs) {
                peak = Math.max(peak, inFlight);
            }
        }
        area += inFlight * Math.max(0, windowEndMs - last);
        double windowMs = windowEndMs - windowStartMs;
        Matcher rate = RATE.matcher(results);
        System.out.printf(Locale.ROOT, "requests         %d sent in the step, %d after the warm-up (%.1f/s sent)%n",
                requests, measured, measured / (windowMs / 1000));
        System.out.printf(Locale.ROOT, "achieved rate    %s req/s (successes finished in the measured window)%n",
                rate.find() ? rate.group(1) : "?");
        System.out.printf(Locale.ROOT, "in flight        peak %d, mean %.0f streams (send to completion, measured window)%n",
                peak, area / windowMs);
        System.out.printf(Locale.ROOT, "start delay      p50 %.3f ms, p99 %.3f ms, max %.3f ms (n %d)%n",
                pct(delays, 50), pct(delays, 99), pct(delays, 100), delays.size());
        System.out.printf(Locale.ROOT, "errors           %d%s%n", errors.values().stream().mapToInt(Integer::intValue).sum(),
                errors.isEmpty() ? "" : " " + errors);
        System.out.printf(Locale.ROOT, "ttft             p50 %.1f ms, p99 %.1f ms (n %d; the emulator's own is 100 ms)%n",
                pct(ttfts, 50), pct(ttfts, 99), ttfts.size());
    }

    private static void floor(double ratePerS, double seconds) {
        long gap = (long) (1e9 / ratePerS);
        int n = (int) (seconds * ratePerS);
        List<Double> late = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long at = start + i * gap;
            for (long left = at - System.nanoTime(); left > 200_000; left = at - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(left - 200_000);
            }
            long now;
            while ((now = System.nanoTime()) < at) {
                Thread.onSpinWait();
            }
            late.add((now - at) / 1e6);
        }
        System.out.printf(Locale.ROOT, "floor            p50 %.3f ms, p99 %.3f ms, max %.3f ms (n %d; a bare thread's wake-up, same schedule, beside Sonde)%n",
                pct(late, 50), pct(late, 99), pct(late, 100), late.size());
    }

    private static double pct(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
