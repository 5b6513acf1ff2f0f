package dev.sonde.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.BatchClient;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.journal.AttemptRecord;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Cost;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.CaseSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's trials through Message Batches ({@code --batch}): every trial the budget admits (its
 * worst case reserved at the batch price) is submitted in batches of at most
 * {@link BatchClient#MAX_REQUESTS}, polled until ended, then handed to the {@link TrialWorker} to
 * be checked, priced at the batch tier and journaled like any trial (one attempt, no latency: each is
 * journaled {@code untimed}, and checks that need a timing are not applicable to it). A
 * budget refusal stops the run; the trials after it are skipped.
 *
 * <p>A stop from outside ({@link RunStop}: Ctrl-C, SIGTERM) cancels the batch in progress on the
 * server and still waits for it to end (the API ends a cancelled batch once the requests it is
 * processing are done): what the batch finished is journaled as usual, the entries it cancelled as
 * {@code skipped}, so {@code --resume} submits only those and nothing finished is paid for twice.
 * The trials not yet submitted are skipped too.
 */
final class BatchRunner {
    private final PricingTable pricing;
    private final Clock clock;
    private final TrialListener listener;

    BatchRunner(PricingTable pricing, Clock clock, TrialListener listener) {
        this.pricing = pricing;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Batch mode sends each trial's first request only, so a {@code tool_loop} case could never get
     * past its first turn: refused before anything is sent, naming every planned such case.
     */
    static void refuseToolLoops(Suite suite, List<Trial> trials) throws SuiteException {
        Set<String> planned = new HashSet<>();
        trials.forEach(t -> planned.add(t.caseId()));
        List<String> looping = new ArrayList<>();
        int first = -1;
        for (int i = 0; i < suite.cases().size(); i++) {
            CaseSpec c = suite.cases().get(i);
            if (c.toolLoop() != null && planned.contains(c.id())) {
                looping.add(c.id());
                first = first < 0 ? i : first;
            }
        }
        if (first >= 0) {
            throw new SuiteException(suite.cases().get(first).location(), "cases[" + first + "].tool_loop", "batch mode (--batch or "
                    + "run.mode: batch) cannot run tool loops, a batch sends each trial's first request only; cases with "
                    + "tool_loop: " + String.join(", ", looping) + " (run them without batch mode)");
        }
    }

    /** Submits {@code run}'s trials still to do and records each result (or skip) through {@code worker}. */
    void submit(RunContext run, TrialWorker worker, BatchClient batches) throws IOException, InterruptedException {
        List<Trial> todo = run.todo();
        for (int from = 0; from < todo.size(); from += BatchClient.MAX_REQUESTS) {
            List<Trial> chunk = todo.subList(from, Math.min(todo.size(), from + BatchClient.MAX_REQUESTS));
            Map<String, Trial> byCustomId = new LinkedHashMap<>();
            Map<String, Budget.Answer> reserved = new HashMap<>();
            Map<String, ObjectNode> bodies = new LinkedHashMap<>();
            for (Trial t : chunk) {
                String refusal = run.stop().get();
                if (refusal == null && run.budget().admitTrial() instanceof Budget.Refused no) {
                    refusal = no.message();
                }
                Budget.Answer reservation = null;
                if (refusal == null) {
                    Object bound = run.budget().capped() ? worker.worstCase(t) : null;
                    if (bound instanceof Budget.Refused no && !no.stopsRun()) { // this trial alone cannot be bounded
                        worker.skip(t, no.message());
                        continue;
                    } else if (bound instanceof Budget.Refused no) {
                        refusal = no.message();
                    } else {
                        // the batch tier's multiplier (the pricing table's); nothing settles before the batch ends,
                        // so a reservation that does not fit is refused at once rather than awaited
                        Double tier = bound == null ? null : (Double) bound * Math.max(pricing.batchMultiplier(), 0);
                        reservation = run.budget().reserve(tier, t.model().model(), t.id(), false);
                        if (reservation instanceof Budget.Refused no) {
                            refusal = no.message();
                        }
                    }
                }
                if (refusal != null) {
                    run.stop().compareAndSet(null, refusal);
                    worker.skip(t, refusal);
                    continue;
                }
                String id = "t" + (byCustomId.size() + from);
                byCustomId.put(id, t);
                reserved.put(id, reservation);
                bodies.put(id, t.body());
            }
            if (bodies.isEmpty()) {
                continue;
            }
            if (worker.cancelled()) { // stopped from outside while the chunk was sized: nothing of it goes out
                for (Map.Entry<String, Trial> e : byCustomId.entrySet()) {
                    run.budget().settle(reserved.get(e.getKey()), 0, true);
                    worker.skip(e.getValue(), run.stop().get());
                }
                continue;
            }
            Instant submitted = clock.now();
            Map<String, Exchange> results;
            try {
                results = batches.run(bodies, status -> listener.note("batch " + status.id() + ": "
                        + status.processingStatus() + " " + status.requestCounts()), worker::cancelled);
            } catch (IOException | InterruptedException | RuntimeException e) {
                // a batch the server refused to create cost nothing; one that was created may have run and been billed
                boolean notCreated = e instanceof BatchClient.NotCreated;
                reserved.values().forEach(r -> run.budget().settle(r, 0, notCreated));
                throw e;
            }
            for (Map.Entry<String, Trial> e : byCustomId.entrySet()) {
                Trial t = e.getValue();
                Exchange ex = results.getOrDefault(e.getKey(), new Exchange(0, null, t.model().model(), List.of(),
                        null, null, Usage.NONE, Timings.unmeasured(BatchClient.UNTIMED),
                        new ApiFailure(ErrorClass.PROTOCOL, 0, null, "the batch returned no result")));
                Optional<Cost> cost = pricing.cost(t.model().priceKey(), ex.usage(), true);
                // every entry the batch reported says what it cost (errored, canceled and expired ones cost nothing),
                // but for one with no result or with usage not to be believed
                boolean resolved = results.containsKey(e.getKey())
                        && (ex.ok() || ex.failure().errorClass() != ErrorClass.PROTOCOL);
                run.budget().settle(reserved.get(e.getKey()), cost.map(Cost::totalUsd).orElse(0.0), resolved);
                if (worker.cancelled() && BatchClient.canceled(ex)) { // stopped from outside: --resume sends it again
                    worker.skip(t, run.stop().get());
                    continue;
                }
                AttemptRecord attempt = new AttemptRecord(1, ex.status(),
                        ex.failure() == null ? null : ex.failure().errorClass().wireName(),
                        ex.failure() == null ? null : ex.failure().type(), ex.requestId(), 0, null);
                worker.record(t, new Retrier.Attempts(ex, List.of(attempt), 0), submitted, 0, 0, cost, "message batches",
                        false, List.of());
            }
        }
    }
}
