package dev.braid.sim;

import java.util.List;
import java.util.Locale;

/**
 * What one simulated run came to: its seed, how long it ran on the virtual clock, how many events
 * ran, and what went wrong, if anything, with the command that replays it.
 *
 * <p>Immutable once made, except that its {@link #trace()} is the simulation's own.
 */
public final class SimulationResult {
  private final long seed;
  private final double seconds;
  private final long events;
  private final List<String> violations;
  private final String replay;
  private final Trace trace;
  private final Throwable firstError;

  SimulationResult(
      long seed,
      double seconds,
      long events,
      List<String> violations,
      String replay,
      Trace trace,
      Throwable firstError) {
    this.seed = seed;
    this.seconds = seconds;
    this.events = events;
    this.violations = List.copyOf(violations);
    this.replay = replay;
    this.trace = trace;
    this.firstError = firstError;
  }

  /** {@return the seed of the run} */
  public long seed() {
    return seed;
  }

  /** {@return the virtual time at which the run ended, in seconds} */
  public double seconds() {
    return seconds;
  }

  /** {@return how many events (timers and network events) ran} */
  public long events() {
    return events;
  }

  /** {@return what went wrong, in the order found; empty if the run passed} */
  public List<String> violations() {
    return violations;
  }

  /** {@return true if nothing went wrong} */
  public boolean passed() {
    return violations.isEmpty();
  }

  /** {@return the command that replays this run} */
  public String replayCommand() {
    return replay;
  }

  /** {@return the run's trace; empty unless it was recorded} */
  public Trace trace() {
    return trace;
  }

  /** {@return the first exception behind a violation, or null} */
  public Throwable firstError() {
    return firstError;
  }

  /**
   * {@return a report: one line saying whether the seed passed, then each violation on a line of
   * its own, then the command that replays it when it failed}
   */
  public String report() {
    if (passed()) {
      return String.format(
          Locale.ROOT, "seed %d passed: %d events, %.3f s simulated", seed, events, seconds);
    }
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "seed %d failed at %.6f s simulated: %d violation%s",
                seed,
                seconds,
                violations.size(),
                violations.size() == 1 ? "" : "s"));
    for (String v : violations) {
      sb.append(System.lineSeparator()).append("  ").append(v);
    }
    sb.append(System.lineSeparator()).append("  replay: ").append(replay);
    return sb.toString();
  }

  /**
   * Throws if the run failed, for tests.
   *
   * @throws AssertionError with the {@link #report()}, and the first exception as its cause
   */
  public void assertPassed() {
    if (!passed()) {
      throw new AssertionError(report(), firstError);
    }
  }

  @Override
  public String toString() {
    return report();
  }
}
