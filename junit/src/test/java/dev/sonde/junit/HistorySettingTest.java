package dev.sonde.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.session.HistorySetting;
import dev.sonde.session.SuiteSession;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.ConfigurationParameters;

/** {@code sonde.history} reaches the session's options as the CLI's {@code --history}, {@code --no-history} or {@code --history=PATH}. */
class HistorySettingTest {
    private static final Path BASE = Path.of("/work/project");

    /** Configuration parameters holding {@code values}, with {@code sonde.baseDir} set to {@link #BASE}. */
    private static ConfigurationParameters params(Map<String, String> values) {
        Map<String, String> all = new java.util.HashMap<>(values);
        all.put("sonde.baseDir", BASE.toString());
        // a proxy, not a class: Platform 1.14 and 6 differ in the interface's other methods
        return (ConfigurationParameters) Proxy.newProxyInstance(HistorySettingTest.class.getClassLoader(),
                new Class<?>[] {ConfigurationParameters.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> Optional.ofNullable(all.get((String) args[0]));
                    case "getBoolean" -> Optional.ofNullable(all.get((String) args[0])).map(Boolean::parseBoolean);
                    case "keySet" -> all.keySet();
                    case "size" -> all.size();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static HistorySetting history(Map<String, String> values) {
        SuiteSession.Options options = SuiteRun.options(Settings.read(params(values)), BASE.resolve("s.yaml"), null,
                null);
        return options.history();
    }

    @Test
    void sonde_history_true_false_a_path_and_unset_reach_the_options() {
        assertThat(history(Map.of("sonde.history", "true"))).isEqualTo(HistorySetting.on(null));
        assertThat(history(Map.of("sonde.history", "FALSE"))).isEqualTo(HistorySetting.off());
        assertThat(history(Map.of("sonde.history", "ci/history.duckdb")))
                .isEqualTo(HistorySetting.on(BASE.resolve("ci/history.duckdb")));
        assertThat(history(Map.of())).isEqualTo(HistorySetting.AS_SUITE);
    }
}
