package dev.sonde.suite.lint;

import dev.sonde.suite.Location;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suggest;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The model ids of a suite that the pricing table does not price ({@link LintWarning.Kind#UNPRICED_MODEL}),
 * each at its {@code models[i].model} as written, with the closest known id as a suggestion
 * ({@code claude-haiku-4.5} → {@code claude-haiku-4-5}). A warning, not an error: a live API, or a
 * gateway, may know an id the table does not; the emulator answers any id. What is known comes from
 * outside ({@link KnownModels}: the session's pricing table and the emulator's model list), so this
 * room depends on neither. Stateless.
 */
public final class ModelLint {
    private ModelLint() {}

    /**
     * What the rooms that own model ids know of them, handed to the suite room.
     *
     * @param priced whether an API model id has a price (its snapshot's base id counts)
     * @param ids every id known (priced or served by the emulator), to suggest from
     */
    public record KnownModels(Predicate<String> priced, List<String> ids) {
        public KnownModels {
            ids = List.copyOf(ids);
        }
    }

    /**
     * One warning per {@code models:} entry whose price key ({@link ModelSpec#priceKey()}: the model
     * id, or a platform's {@code provider/region/id}) is unpriced, in file order.
     */
    public static List<LintWarning> check(Suite suite, SuiteSource source, KnownModels known) {
        List<LintWarning> out = new ArrayList<>();
        for (ModelSpec m : suite.models()) {
            if (known.priced().test(m.priceKey())) {
                continue;
            }
            int index = source.modelIndex(m);
            if (m.platform()) {
                out.add(platform(m, index, source, known));
                continue;
            }
            Location at = source.locate(source.root().path("models").get(index).get("model"));
            Optional<String> meant = Suggest.closest(m.model(), known.ids()).filter(s -> !s.equals(m.model()));
            String price = "price '" + m.model() + "' in a pricing file (the suite's pricing:, or --pricing)";
            out.add(new LintWarning(at, LintWarning.Kind.UNPRICED_MODEL, "models[" + index + "].model", List.of(),
                    "'" + m.model() + "' is not a model the pricing table knows" + meant.map(s -> " (did you mean '"
                            + s + "'?)").orElse("") + ": its trials will be UNPRICED, and a live API may refuse the id "
                            + "(the emulator answers any id)",
                    meant.map(s -> "write '" + s + "', or " + price).orElse(price)));
        }
        return out;
    }

    /**
     * A platform model whose price key is unpriced: at its {@code base_model} when written (the id
     * it is priced as), else at its {@code model}, suggesting the known id closest to that.
     */
    private static LintWarning platform(ModelSpec m, int index, SuiteSource source, KnownModels known) {
        boolean base = m.baseModel() != null;
        String field = base ? "base_model" : "model";
        String id = base ? m.baseModel() : m.model();
        Location at = source.locate(source.root().path("models").get(index).get(field));
        Optional<String> meant = Suggest.closest(id, known.ids()).filter(s -> !s.equals(id));
        String price = "price '" + m.priceKey() + "' in a pricing file (the suite's pricing:, or --pricing)";
        return new LintWarning(at, LintWarning.Kind.UNPRICED_MODEL, "models[" + index + "]." + field, List.of(),
                "'" + m.priceKey() + "' (" + m.provider() + ") is not a price the pricing table knows"
                        + meant.map(s -> " (did you mean " + field + " '" + s + "'?)").orElse("")
                        + ": its trials will be UNPRICED",
                meant.map(s -> "write base_model: " + s + ", or " + price).orElse(price));
    }
}
