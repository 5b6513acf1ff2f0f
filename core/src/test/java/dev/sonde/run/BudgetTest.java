package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sonde.metrics.ManualClock;
import dev.sonde.suite.BudgetSpec;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The budget's own bookkeeping (issue 18): reservations that settle in any order leave nothing to wait for. */
@Tag("hostile")
class BudgetTest {

    @Test
    void reservations_settled_out_of_order_leave_no_crumb_to_wait_on() {
        // 0.1 + 0.2 - 0.1 - 0.2 is 2.8e-17 in doubles: a wait on "anything reserved" would never end
        Budget budget = new Budget(new BudgetSpec(0.35, null, null), new ManualClock(), 0, 0, 0);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            Budget.Answer a = budget.reserve(0.1, "m", "t1");
            Budget.Answer b = budget.reserve(0.2, "m", "t2");
            budget.settle(a, 0.1, true);
            budget.settle(b, 0.2, true);
            assertThat(budget.reserve(0.1, "m", "t3")).as("0.30 spent + 0.10 > 0.35: refused at once, not awaited")
                    .isInstanceOf(Budget.Refused.class);
        });
    }

    @Test
    void an_attempt_without_usage_stays_counted_at_its_worst_case_and_grading_is_named_apart() throws Exception {
        Budget budget = new Budget(new BudgetSpec(1.0, null, null), new ManualClock(), 0, 0, 0);
        Budget.Answer a = budget.reserve(0.4, "m", "t1");
        budget.settle(a, 0.0, false);
        assertThat(budget.reserve(0.7, "m", "t2")).as("0.4 counted for the unresolved attempt").isInstanceOf(Budget.Refused.class);
        budget.paid("t1", 0.9);
        assertThat(budget.summary()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("budget: $0.9000 reported spent of max_usd $1.0000; $0.4000 may also be billed for 1 attempt "
                        + "that got no usage back; counting those, the cap may have been passed by $0.3000: ")
                .endsWith("grading calls, charged once paid and never reserved, cost $0.9000")
                .doesNotContain("request in flight"));
    }
}
