package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedProportionsTest {

    @Test
    void wilson_interval_matches_published_values() {
        // Newcombe 1998 (Statist. Med. 17:857) examples: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775.
        assertThat(PairedProportions.wilson(81, 263)).containsExactly(new double[] {0.2553, 0.3662}, within(5e-5));
        assertThat(PairedProportions.wilson(0, 10)).containsExactly(new double[] {0, 0.2775}, within(5e-5));
    }

    @Test
    void exact_mcnemar_is_the_two_sided_binomial_on_discordant_pairs() {
        assertThat(PairedProportions.mcnemarExactP(0, 0)).isEqualTo(1);
        assertThat(PairedProportions.mcnemarExactP(1, 0)).isEqualTo(1);
        assertThat(PairedProportions.mcnemarExactP(5, 0)).isCloseTo(2 / 32.0, within(1e-15));
        assertThat(PairedProportions.mcnemarExactP(2, 8)).isCloseTo(2 * 56 / 1024.0, within(1e-15));
        assertThat(PairedProportions.mcnemarExactP(8, 2)).isEqualTo(PairedProportions.mcnemarExactP(2, 8));
    }

    @Test
    void the_fewest_one_way_discordant_pairs_mcnemar_finds_significant() {
        // p = 2 · 2^−k: k = 5 gives 0.0625, k = 6 gives 0.03125
        assertThat(PairedProportions.fewestSignificantDiscordant(0.05)).isEqualTo(6);
        assertThat(PairedProportions.fewestSignificantDiscordant(0.0625)).as("p < α, strictly").isEqualTo(6);
        assertThat(PairedProportions.fewestSignificantDiscordant(0.01)).isEqualTo(8);
        assertThat(PairedProportions.fewestSignificantDiscordant(1)).isEqualTo(2);
        assertThat(PairedProportions.mcnemarExactP(5, 0)).isGreaterThanOrEqualTo(0.05);
        assertThat(PairedProportions.mcnemarExactP(6, 0)).isLessThan(0.05);
        for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> PairedProportions.fewestSignificantDiscordant(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void one_sided_mcnemar_is_the_chance_of_as_many_newly_failing_cases_or_more() {
        assertThat(PairedProportions.mcnemarDropP(0, 0)).isEqualTo(1);
        assertThat(PairedProportions.mcnemarDropP(3, 0)).isCloseTo(1 / 8.0, within(1e-15));
        assertThat(PairedProportions.mcnemarDropP(5, 0)).isCloseTo(1 / 32.0, within(1e-15));
        // 8 of 10 discordant cases newly failing: P(X >= 8), X ~ Binomial(10, 1/2) = (45 + 10 + 1) / 1024
        assertThat(PairedProportions.mcnemarDropP(8, 2)).isCloseTo(56 / 1024.0, within(1e-15));
        // more cases newly passing than failing is no evidence of a drop
        assertThat(PairedProportions.mcnemarDropP(2, 8)).isCloseTo(1 - 11 / 1024.0, within(1e-12));
        assertThat(PairedProportions.mcnemarDropP(0, 3)).isEqualTo(1);
    }

    @Test
    void newcombe_interval_matches_the_published_worked_example() {
        // Newcombe 1998 (Statist. Med. 17:2635), method 10, example (a, b, c, d) = (36, 12, 2, 0):
        // difference (b − c)/n = 0.2, 95 % CI 0.0569 to 0.3404. Here the difference is candidate −
        // baseline = (c − b)/n, so the table with b and c swapped gives the published interval and
        // the table as printed gives it mirrored.
        assertThat(PairedProportions.newcombeCi(36, 2, 12, 0)).containsExactly(new double[] {0.0569, 0.3404},
                within(5e-5));
        assertThat(PairedProportions.newcombeCi(36, 12, 2, 0)).containsExactly(new double[] {-0.3404, -0.0569},
                within(5e-5));
    }

    @Test
    void newcombe_interval_brackets_the_difference_and_mirrors_when_the_table_does() {
        double[] ci = PairedProportions.newcombeCi(12, 1, 0, 1); // one case newly failing of 14
        assertThat(ci[0]).isLessThan(-1 / 14.0).isGreaterThan(-1);
        assertThat(ci[1]).isGreaterThan(-1 / 14.0).isLessThan(1);
        double[] mirrored = PairedProportions.newcombeCi(12, 0, 1, 1);
        assertThat(mirrored[0]).isCloseTo(-ci[1], within(1e-12));
        assertThat(mirrored[1]).isCloseTo(-ci[0], within(1e-12));
        double[] none = PairedProportions.newcombeCi(40, 0, 0, 0); // every case passes on both
        assertThat(none[0]).isLessThan(0).isGreaterThan(-0.1);
        assertThat(none[1]).isGreaterThan(0).isLessThan(0.1);
        assertThat(PairedProportions.newcombeCi(0, 0, 0, 0)).isNull();
    }
}
