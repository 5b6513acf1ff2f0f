package dev.sonde.baseline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;

/**
 * Pretty-prints a baseline for pull-request diffs: objects indented two spaces per level with
 * {@code \n} line ends on every OS, arrays — and objects inside arrays — on one line, so a
 * trial's check list or a model's samples change as one line.
 */
final class BaselinePrinter extends DefaultPrettyPrinter {
    private int arrays;

    BaselinePrinter() {
        _objectIndenter = new DefaultIndenter("  ", "\n");
        _arrayIndenter = FixedSpaceIndenter.instance;
    }

    private BaselinePrinter(BaselinePrinter base) {
        super(base);
    }

    @Override
    public BaselinePrinter createInstance() {
        return new BaselinePrinter(this);
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        arrays++;
        super.writeStartArray(g);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
        super.writeEndArray(g, nrOfValues);
        arrays--;
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        if (arrays > 0) {
            g.writeRaw('{');
        } else {
            super.writeStartObject(g);
        }
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        if (arrays > 0) {
            g.writeRaw(' ');
        } else {
            super.beforeObjectEntries(g);
        }
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        if (arrays > 0) {
            g.writeRaw(", ");
        } else {
            super.writeObjectEntrySeparator(g);
        }
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
        if (arrays > 0) {
            g.writeRaw(" }");
        } else {
            super.writeEndObject(g, nrOfEntries);
        }
    }
}
