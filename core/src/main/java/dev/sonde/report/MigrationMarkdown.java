package dev.sonde.report;

import dev.sonde.migration.ModelComparison;

/**
 * The model-migration section of {@code summary.md}: per candidate the recommendation paragraph
 * and a compact table (metric · baseline · candidate · difference with 95 % CI), then the volume
 * the projection assumed. Every value goes through {@link Text#mdCell}; the paragraph's case ids
 * keep their code spans.
 */
final class MigrationMarkdown {

    private MigrationMarkdown() {}

    /** @param platforms model label → the cloud platform it ran on ({@code RunInfo.platforms()}) */
    static void append(StringBuilder sb, ModelComparison models, java.util.Map<String, String> platforms) {
        MigrationView view = MigrationView.of(models, platforms);
        if (!view.present()) {
            return;
        }
        sb.append("\n### 🔀 Model migration from ").append(Text.mdCell(view.baseline())).append("\n\n");
        for (MigrationView.Candidate c : view.candidates()) {
            sb.append("**").append(Text.mdCell(c.title())).append(": ").append(c.decision()).append("** — ")
                    .append(paragraph(c.paragraph())).append("\n\n");
            sb.append("| ").append(Text.mdCell(c.title())).append(" | Baseline | Candidate | Difference (95 % CI) |\n");
            sb.append("| --- | ---: | ---: | --- |\n");
            for (MigrationView.Row r : c.rows()) {
                sb.append("| ").append(Text.mdCell(r.metric())).append(" | ").append(Text.mdCell(r.baseline()))
                        .append(" | ").append(Text.mdCell(r.candidate())).append(" | ")
                        .append(Text.mdCell(r.difference())).append(" |\n");
            }
            sb.append('\n');
        }
        sb.append("_Volume: ").append(Text.mdCell(view.volume())).append(". Methods: see `model_comparison.methods`"
                + " in results.json._\n");
    }

    /**
     * The paragraph with its code spans kept: the text between backticks is a case id
     * ({@code [A-Za-z0-9._-]+}, nothing to escape); the rest is escaped as a cell.
     */
    private static String paragraph(String text) {
        String[] parts = text.split("`", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 1 && parts[i].matches("[A-Za-z0-9._-]+")) {
                sb.append('`').append(parts[i]).append('`');
            } else {
                String part = parts[i];
                sb.append(part.startsWith(" ") ? " " : "").append(Text.mdCell(part))
                        .append(part.endsWith(" ") && !part.isBlank() ? " " : "");
            }
        }
        return sb.toString();
    }
}
