package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a suite with {@code variants:}: for each case, each model it runs on and each
 * variant (in suite order), one sequence — the warm-up request when asked for, then
 * {@code sequence.requests} measured requests — each a {@link Trial} whose body is the case's with
 * the variant's breakpoints ({@link CachePlacement}). Ids are {@code case/model/variant/i}
 * ({@code i} from 0) and {@code case/model/variant/warmup}: stable across runs and unique, since
 * ids never contain {@code /}. A trial's {@code repeat} is {@code i}, and -1 for the warm-up.
 */
public final class SequencePlan {
    /** The last id segment of a warm-up request. */
    public static final String WARMUP = "warmup";

    private SequencePlan() {}

    /** Where a trial sits: its sequence ({@code case/model/variant}) and index, or the warm-up. */
    public record Position(String caseId, String modelId, String variant, int index, boolean warmup) {
        /** {@code case/model/variant}: the trials of one sequence share it. */
        public String sequence() {
            return caseId + "/" + modelId + "/" + variant;
        }

        /** The position of a variant trial's id, or null for any other id. */
        public static Position of(String trialId) {
            String[] parts = trialId == null ? new String[0] : trialId.split("/", -1);
            if (parts.length != 4) {
                return null;
            }
            if (parts[3].equals(WARMUP)) {
                return new Position(parts[0], parts[1], parts[2], -1, true);
            }
            try {
                return new Position(parts[0], parts[1], parts[2], Integer.parseInt(parts[3]), false);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    public static String idOf(String caseId, String modelId, String variant, int index) {
        return caseId + "/" + modelId + "/" + variant + "/" + (index < 0 ? WARMUP : Integer.toString(index));
    }

    static List<Trial> expand(Suite suite) {
        List<Trial> trials = new ArrayList<>();
        for (CaseSpec c : suite.cases()) {
            for (ModelSpec m : suite.models()) {
                if (!c.runsOn(m)) {
                    continue;
                }
                ObjectNode plain = Plan.body(suite, c, m);
                for (CacheVariant v : suite.variants()) {
                    ObjectNode body = CachePlacement.apply(plain, v);
                    for (int i = v.sequence().warmup() ? -1 : 0; i < v.sequence().requests(); i++) {
                        trials.add(new Trial(idOf(c.id(), m.id(), v.id(), i), c, m, i, body, m.headers(), v.id()));
                    }
                }
            }
        }
        return List.copyOf(trials);
    }
}
