/**
 * {@code sonde import promptfoo}: a promptfoo config read as located YAML ({@code Sources}, bounded,
 * confined to the config's folder tree by real path, nothing fetched or run), its providers, prompts, tests and assertions mapped one construct at a
 * time ({@code Providers}, {@code Prompts}, {@code Tests}, {@code Assertions}, {@code Nunjucks},
 * {@code Shorthand}), the cases made as prompt × test ({@code Cases}), and the suite written as text
 * with every construct not carried over listed at its {@code file:line:column} ({@code Ledger},
 * {@link dev.sonde.cli.promptfoo.Unmapped}, masked by {@link dev.sonde.cli.promptfoo.Secrets}). {@link dev.sonde.cli.promptfoo.PromptfooImport} is the
 * entry point; {@code cli/ImportCommand} loads what it wrote. Part of the {@code cli} room.
 */
package dev.sonde.cli.promptfoo;
