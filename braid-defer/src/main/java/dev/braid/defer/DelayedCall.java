package dev.braid.defer;

/**
 * A call scheduled with {@link Clock#callLater}: Twisted's {@code IDelayedCall}.
 *
 * <p>A delayed call is <em>active</em> until it runs or is cancelled. It is marked called just
 * before its function runs, so a call cannot cancel itself. Cancelling, resetting or delaying a
 * call that already ran throws {@link AlreadyCalledException}; doing so after it was cancelled
 * throws {@link AlreadyCancelledException}.
 *
 * <p>Threading: use it on the thread that owns its clock.
 */
public interface DelayedCall {
  /**
   * {@return when this call is due, in the clock's {@link Clock#seconds() seconds}, including any
   * {@link #delay}}
   */
  double getTime();

  /**
   * Cancels this call; it will not run.
   *
   * @throws AlreadyCalledException if it already ran (or is running)
   * @throws AlreadyCancelledException if it was already cancelled
   */
  void cancel();

  /**
   * Moves this call to {@code secondsFromNow} after the clock's current time.
   *
   * @param secondsFromNow the new delay, measured from now
   * @throws AlreadyCalledException if it already ran
   * @throws AlreadyCancelledException if it was cancelled
   */
  void reset(double secondsFromNow);

  /**
   * Postpones this call by {@code seconds} (a negative value brings it forward).
   *
   * @param seconds how much later it should run
   * @throws AlreadyCalledException if it already ran
   * @throws AlreadyCancelledException if it was cancelled
   */
  void delay(double seconds);

  /**
   * {@return true if this call is still scheduled: it has not run, is not running, was not
   * cancelled}
   */
  boolean active();

  /** {@return true once {@link #cancel} has succeeded} */
  boolean cancelled();

  /** {@return true once the clock has started running this call} */
  boolean called();
}
