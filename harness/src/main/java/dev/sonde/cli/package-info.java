/**
 * The {@code sonde} command line: {@code run}, {@code lint}, {@code emulator}, {@code baseline accept}, {@code import promptfoo},
 * {@code report}, {@code merge} and {@code reprice}, each parsing its arguments (picocli), calling the rooms that
 * do the work and turning the outcome into console lines and an exit code (0 passed, 1 a check or gate failed,
 * 2 a bad suite or arguments, or a run folder another sonde process is using, 3 the run could not proceed,
 * 130 / 143 a run stopped by SIGINT / SIGTERM: {@code RunSignals}).
 *
 * <p>The entry point is {@link dev.sonde.cli.Main}, which first lets a plain {@code java -jar} replace its JVM
 * with the tuned one {@code ./sonde} starts ({@code Launch}, {@code Exec}); no other room uses this one. Depends on {@code session} and
 * the rooms below it.
 */
package dev.sonde.cli;
