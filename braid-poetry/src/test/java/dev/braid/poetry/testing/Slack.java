package dev.braid.poetry.testing;

/**
 * How much later than the time it is configured for a real-socket test lets an event come: the
 * margin a loaded 2-core machine needs (a CI runner, or a build sharing the machine with others).
 *
 * <p>On real sockets and the wall clock, load only ever makes things later: a timer fires late, a
 * reply is read late. So these tests keep their lower bounds exact (nothing happens before its
 * configured time) and give their upper bounds this slack. An upper bound is there to tell the
 * configured timeout from another cause (a longer default, a hang), so the slack stays well below
 * the gap to that other cause. Exact timing is checked on the virtual clock ({@code
 * ProxySingleFlightFailureTest}, {@code PoliciesTest}, {@code SlowlorisOnVirtualTimeTest}).
 *
 * <p>{@code -Dbraid.test.slack=SECONDS} sets it (default {@value #DEFAULT_SECONDS}); {@code
 * bench/run-reliability} records the measured times, which on a quiet machine are far inside it.
 */
public final class Slack {
  /** The default slack, in seconds. */
  public static final double DEFAULT_SECONDS = 5.0;

  /** The slack in seconds: {@code -Dbraid.test.slack}, or {@link #DEFAULT_SECONDS}. */
  public static final double SECONDS =
      Double.parseDouble(System.getProperty("braid.test.slack", Double.toString(DEFAULT_SECONDS)));

  private Slack() {}
}
