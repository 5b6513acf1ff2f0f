package dev.sonde.cli.promptfoo;

import java.util.ArrayList;
import java.util.List;

/**
 * What an import carried over and what it did not: a count of items mapped, the unmapped items in
 * the order met, and notes (a default Sonde filled in, a setting to make outside the suite) that are
 * neither. Not thread-safe (one per import).
 */
final class Ledger {
    private int mapped;
    private final List<Unmapped> unmapped = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void mapped() {
        mapped++;
    }

    void unmapped(String where, String what, String why) {
        unmapped.add(new Unmapped(where, what, why));
    }

    /** An item counted as mapped that the import then had to leave out. */
    void demote(String where, String what, String why) {
        mapped--;
        unmapped(where, what, why);
    }

    /** A note, key-like tokens masked ({@link Secrets#mask}). */
    void note(String written) {
        String note = Secrets.mask(written);
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }

    int mappedCount() {
        return mapped;
    }

    List<Unmapped> unmappedItems() {
        return List.copyOf(unmapped);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }
}
