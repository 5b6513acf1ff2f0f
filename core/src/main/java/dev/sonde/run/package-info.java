/**
 * Running a plan: trials on virtual threads under concurrency, rate limits, budget and deadline, with retries,
 * tool loops, the response cache, cache-variant sequences, Message Batches and latency benchmarks; every trial
 * checked, priced and appended to the journal before it is counted. Also graders, the merge of shards and the
 * merge of load generators' benchmark runs.
 *
 * <p>Exports {@link dev.sonde.run.Runner}, {@link dev.sonde.run.LoadRunner} with {@link dev.sonde.run.StepResult},
 * {@link dev.sonde.run.RunResult}, {@link dev.sonde.run.RunAborted}, {@link dev.sonde.run.RunStop} (a stop asked
 * from outside: Ctrl-C, SIGTERM), {@link dev.sonde.run.TrialListener}, {@link
 * dev.sonde.run.ProviderGrader}, {@link dev.sonde.run.Merge}, {@link dev.sonde.run.LoadMerge} and {@link
 * dev.sonde.run.BenchmarkFolder} (a finished benchmark read back from its folder), {@link dev.sonde.run.RepeatAware}
 * (a provider told each trial request's repeat) and {@link dev.sonde.run.CompareSpend} (the run's ledger and budget
 * for the compare pass after it). Depends on {@code journal}, {@code check}, {@code emulator} (the
 * repeat header's name), {@code api}, {@code suite}, {@code stats} and {@code metrics}.
 */
package dev.sonde.run;
