/**
 * A suite file, from YAML to trials: the immutable model, loading with schema validation and errors at
 * {@code file:line:column}, templating, and the plan of trials with stable ids (or cache-variant sequences).
 *
 * <p>Exports {@link dev.sonde.suite.SuiteLoader}, {@link dev.sonde.suite.Suite} with its section records
 * ({@code ModelSpec}, {@code CaseSpec}, {@code RunSpec}, {@code LoadSpec}, {@code CacheVariant}, …), {@link
 * dev.sonde.suite.SuiteException}, {@link dev.sonde.suite.SuiteSource}, {@link dev.sonde.suite.Plan}, {@link
 * dev.sonde.suite.SequencePlan}, {@link dev.sonde.suite.Shards}, {@link dev.sonde.suite.Trial}, {@link
 * dev.sonde.suite.JsonSubset} and {@link dev.sonde.suite.Suggest} (the one "did you mean" of suite names, which
 * the check registry uses too). Depends on no other room; the cache lint is in {@code suite.lint}.
 */
package dev.sonde.suite;
