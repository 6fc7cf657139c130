package dev.braid.defer;

import java.time.Duration;
import java.util.Locale;

/**
 * What a pending-Deferred dump says about a Deferred's {@link Deferred#addTimeout timeout}: how
 * long it is and when it expires.
 *
 * @param timeout the timeout given
 * @param timer the delayed call that cancels the Deferred
 * @param clock the clock it runs on
 */
record TimeoutNote(Duration timeout, DelayedCall timer, Clock clock) {
  @Override
  public String toString() {
    String state;
    if (timer.active()) {
      state =
          String.format(
              Locale.ROOT, "expires in %.1f s", Math.max(0, timer.getTime() - clock.seconds()));
    } else {
      state = timer.called() ? "expired" : "cancelled";
    }
    return "its timeout of " + Clock.describe(timeout) + " (addTimeout), " + state;
  }
}
