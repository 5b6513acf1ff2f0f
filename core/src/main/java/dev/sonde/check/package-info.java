/**
 * Assertions: one class per {@code type:} of a suite's {@code assert:}, the registry that maps type names to
 * them and checks their parameters before anything is sent, weighted scoring, and the seams graded checks
 * call through ({@code Grader} for {@code llm-rubric}, {@code Embedder} for {@code similar}).
 *
 * <p>Exports {@link dev.sonde.check.CheckSet} (a case's checks, what the runner evaluates), {@link
 * dev.sonde.check.CheckResult}, {@link dev.sonde.check.Grader}, {@link dev.sonde.check.Graders}, {@link
 * dev.sonde.check.GraderUsage}, and the {@code ServiceLoader} extension points {@link dev.sonde.check.CheckProvider}
 * and {@link dev.sonde.check.Embedder}. Depends on {@code api}, {@code suite}, {@code stats} and {@code metrics}.
 */
package dev.sonde.check;
