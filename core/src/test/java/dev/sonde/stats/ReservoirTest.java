package dev.sonde.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReservoirTest {

    @Test
    void keeps_every_value_while_small_so_statistics_are_exact() {
        Reservoir r = new Reservoir(1);
        for (int i = 0; i < Reservoir.CAPACITY; i++) {
            r.add(i);
        }
        assertThat(r.values()).hasSize(Reservoir.CAPACITY).containsExactly(
                java.util.stream.IntStream.range(0, Reservoir.CAPACITY).asDoubleStream().toArray());
        assertThat(r.weight()).isEqualTo(1.0);
        assertThat(r.seen()).isEqualTo(Reservoir.CAPACITY);
    }

    @Test
    void beyond_capacity_keeps_a_seeded_uniform_sample_that_stands_for_all_values() {
        Reservoir a = new Reservoir(42);
        Reservoir b = new Reservoir(42);
        for (int i = 0; i < 100_000; i++) {
            a.add(i);
            b.add(i);
        }
        assertThat(a.values()).hasSize(Reservoir.CAPACITY).isEqualTo(b.values());
        assertThat(a.seen()).isEqualTo(100_000);
        assertThat(a.weight()).isEqualTo(100_000.0 / Reservoir.CAPACITY);
        double[] kept = a.values();
        Arrays.sort(kept);
        // a uniform sample of 0..99,999: its median is near 50,000 and its values span the stream
        assertThat(kept[Reservoir.CAPACITY / 2]).isBetween(30_000.0, 70_000.0);
        assertThat(kept[0]).isLessThan(10_000.0);
        assertThat(kept[Reservoir.CAPACITY - 1]).isGreaterThan(90_000.0);
    }

    @Test
    void a_weighted_cluster_quantile_with_unit_weights_is_the_nearest_rank_quantile() {
        double[][] clusters = {{5, 1, 3}, {2, 4}, {}};
        int[] all = CaseBootstrap.all(3);
        for (double q : new double[] {0, 0.2, 0.5, 0.95, 1}) {
            assertThat(CaseBootstrap.clusterQuantile(clusters, new double[] {1, 1, 1}, all, q))
                    .isEqualTo(CaseBootstrap.clusterQuantile(clusters, all, q));
        }
    }

    @Test
    void a_weighted_cluster_quantile_counts_each_kept_value_as_the_values_it_stands_for() {
        // case 0: one kept value standing for 9; case 1: one value standing for 1 → the median is case 0's
        double[][] clusters = {{10}, {1}};
        int[] all = CaseBootstrap.all(2);
        assertThat(CaseBootstrap.clusterQuantile(clusters, new double[] {9, 1}, all, 0.5)).isEqualTo(10);
        assertThat(CaseBootstrap.clusterQuantile(clusters, new double[] {9, 1}, all, 0.1)).isEqualTo(1);
        assertThat(CaseBootstrap.clusterQuantile(clusters, new double[] {1, 9}, all, 0.5)).isEqualTo(1);
    }
}
