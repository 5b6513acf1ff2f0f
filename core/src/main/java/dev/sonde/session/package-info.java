/**
 * One command's whole flow, shared by {@code sonde run}, {@code sonde merge} and the Maven gate
 * (SuiteGateIT): load the suite once, lint it, check where keys may go and resolve each model's
 * endpoint once, run the plan (or a benchmark's steps), learn everything from one pass over the
 * journal ({@code RunAnalysis}), judge (baseline gates, model comparison) and write every output; with
 * {@code --record}, keep every live answer as emulator rules ({@code Recorder}).
 *
 * <p>Exports {@link dev.sonde.session.SuiteSession} (its {@code Options}, the sealed {@code Outcome}
 * — {@code Evaluated} or {@code Benchmarked} — and {@code SetupException}), {@link
 * dev.sonde.session.Lint} (the cache lint where the suite will run), {@link
 * dev.sonde.session.Secrets} (the environment and {@code .env}), {@link
 * dev.sonde.session.RequestBodies} (a run's request bodies rebuilt for a re-rendered report), {@link
 * dev.sonde.session.Benchmarks} (a benchmark's outputs from its journal: after its run, re-rendered, merged).
 * Depends on every room below it; only {@code lib}, {@code junit} and {@code cli} depend on it.
 */
package dev.sonde.session;
