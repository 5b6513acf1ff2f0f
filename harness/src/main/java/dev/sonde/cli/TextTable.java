package dev.sonde.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for console output (CI logs): columns two spaces apart, each as wide as its
 * widest cell, text left-aligned and figures right-aligned, no trailing blanks. Widths count
 * {@code char}s, so a cell of wide or combining characters may skew its row. Stateless.
 */
final class TextTable {
    /** A column: its header and whether its cells are figures (right-aligned). */
    record Column(String header, boolean figure) {}

    private TextTable() {}

    /** The header line then one line per row; every row has one cell per column. */
    static List<String> lines(List<Column> columns, List<List<String>> rows) {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).header().length();
        }
        for (List<String> row : rows) {
            if (row.size() != widths.length) {
                throw new IllegalArgumentException("a row of " + row.size() + " cells in a table of " + widths.length
                        + " columns");
            }
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(columns, widths, columns.stream().map(Column::header).toList()));
        for (List<String> row : rows) {
            lines.add(line(columns, widths, row));
        }
        return lines;
    }

    private static String line(List<Column> columns, int[] widths, List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            if (i > 0) {
                sb.append("  ");
            }
            sb.append(columns.get(i).figure() ? pad + cell : cell + pad);
        }
        return sb.toString().stripTrailing();
    }
}
