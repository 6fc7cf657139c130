package dev.braid.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Runs a scenario over many seeds, FoundationDB-style: each seed is one whole simulated run, and
 * the failures are kept with their seeds so that each can be replayed alone.
 *
 * <pre>{@code
 * Seeds.Summary s = Seeds.run(1, 1000, seed -> myScenario(seed).run(), failed ->
 *     System.out.println(failed.report()));
 * System.out.println(s);            // simulated 1000 runs: 0 failed
 * }</pre>
 *
 * <p>Threading: runs on the calling thread, one seed after another.
 */
public final class Seeds {
  private Seeds() {}

  /**
   * What a run of many seeds came to.
   *
   * @param runs how many seeds ran
   * @param failures the failed runs, in seed order
   * @param events the events of every run, added up
   */
  public record Summary(int runs, List<SimulationResult> failures, long events) {
    /** Copies the list. */
    public Summary {
      failures = List.copyOf(failures);
    }

    /** {@return true if no run failed} */
    public boolean passed() {
      return failures.isEmpty();
    }

    /** {@return the failed seeds, in order} */
    public List<Long> failedSeeds() {
      return failures.stream().map(SimulationResult::seed).toList();
    }

    /** {@return "simulated N runs: F failed"} */
    @Override
    public String toString() {
      return "simulated " + runs + " runs: " + failures.size() + " failed";
    }
  }

  /**
   * Runs {@code count} seeds from {@code first}: {@code first}, {@code first + 1}, and so on.
   *
   * @param first the first seed
   * @param count how many, at least 1
   * @param scenario builds and runs the simulation of one seed
   * @param onFailure told of each failed run as it fails, e.g. to print its report
   * @return the summary
   */
  public static Summary run(
      long first,
      int count,
      LongFunction<SimulationResult> scenario,
      Consumer<? super SimulationResult> onFailure) {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(onFailure, "onFailure");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    List<SimulationResult> failures = new ArrayList<>();
    long events = 0;
    for (int i = 0; i < count; i++) {
      SimulationResult r = scenario.apply(first + i);
      events += r.events();
      if (!r.passed()) {
        failures.add(r);
        onFailure.accept(r);
      }
    }
    return new Summary(count, failures, events);
  }
}
