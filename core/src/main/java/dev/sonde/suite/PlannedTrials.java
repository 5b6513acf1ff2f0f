package dev.sonde.suite;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A suite's plan as a list computed from the index ({@link Plan#expand}): trial {@code i} is made
 * when asked, and equal each time. All models of a case, each with all its repeats, then the next
 * case. Holds one int a case when some case runs on only some models, nothing per case otherwise.
 * Immutable and thread-safe.
 */
final class PlannedTrials extends AbstractList<Trial> implements RandomAccess {
    private final Suite suite;
    private final List<ModelSpec> models;
    private final int repeats;
    /** Index of each case's first trial, or null when every case runs on every model. */
    private final int[] firstTrial;
    private final int size;

    PlannedTrials(Suite suite) {
        this.suite = suite;
        this.models = List.copyOf(suite.models());
        this.repeats = suite.run().repeat();
        int cases = suite.cases().size();
        int[] first = new int[cases];
        boolean everyModel = true;
        long n = 0;
        for (int c = 0; c < cases; c++) {
            first[c] = (int) n;
            int on = 0;
            for (ModelSpec m : models) {
                if (suite.caseRunsOn(c, m)) {
                    on++;
                }
            }
            everyModel &= on == models.size();
            n += (long) on * repeats;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a plan of more than " + Integer.MAX_VALUE + " trials");
            }
        }
        this.firstTrial = everyModel ? null : first;
        this.size = (int) n;
    }

    @Override
    public Trial get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("trial " + index + " of " + size);
        }
        int c;
        int within;
        if (firstTrial == null) {
            c = index / (models.size() * repeats);
            within = index % (models.size() * repeats);
        } else {
            int found = Arrays.binarySearch(firstTrial, index);
            c = found >= 0 ? found : -found - 2;
            while (c + 1 < firstTrial.length && firstTrial[c + 1] == index) {
                c++; // a case with no trial starts where the next one does
            }
            within = index - firstTrial[c];
        }
        int k = within / repeats;
        for (ModelSpec m : models) {
            if (firstTrial == null || suite.caseRunsOn(c, m)) {
                if (k-- == 0) {
                    return Trial.planned(suite, c, m, within % repeats);
                }
            }
        }
        throw new IllegalStateException("trial " + index + " has no model");
    }

    @Override
    public int size() {
        return size;
    }
}
