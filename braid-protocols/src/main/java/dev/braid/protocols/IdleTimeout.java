package dev.braid.protocols;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import java.time.Duration;
import java.util.Objects;

/**
 * A connection's inactivity timer: Twisted's {@code twisted.protocols.policies.TimeoutMixin}, as a
 * part that a protocol holds instead of a class it inherits.
 *
 * <pre>{@code
 * final class Chat extends LineReceiver {
 *   private final IdleTimeout idle;
 *
 *   Chat(Clock clock) {
 *     idle = IdleTimeout.create(clock, () -> transport().loseConnection());
 *   }
 *
 *   protected void connectionMade() { idle.setTimeout(Duration.ofMinutes(5)); }
 *   protected void lineReceived(byte[] line) { idle.resetTimeout(); ... }
 *   public void connectionLost(ConnectionEnd reason) { idle.setTimeout(null); }
 * }
 * }</pre>
 *
 * <p>Semantics are Twisted's: {@link #setTimeout} starts, restarts (with the new period) or, given
 * null, cancels the timer and returns the previous period; {@link #resetTimeout()} restarts a
 * running timer and does nothing when none runs (also after it has fired). When the period passes
 * the action runs once (Twisted's {@code timeoutConnection}). To close idle connections of any
 * server without touching its protocol, see {@link Policies#idleTimeout}.
 *
 * <p>Threading: the clock's thread (the reactor thread) only.
 */
public final class IdleTimeout {
  private final Clock clock;
  private final Runnable timeoutConnection;
  private Duration period;
  private DelayedCall call;

  private IdleTimeout(Clock clock, Runnable timeoutConnection) {
    this.clock = clock;
    this.timeoutConnection = timeoutConnection;
  }

  /**
   * Creates a timer with no period set.
   *
   * @param clock the clock to time on (the reactor, or a {@code VirtualClock} in tests)
   * @param timeoutConnection what to do when the period passes without a reset, typically {@code
   *     transport().loseConnection()}
   * @return a new timer, not running
   */
  public static IdleTimeout create(Clock clock, Runnable timeoutConnection) {
    return new IdleTimeout(
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(timeoutConnection, "timeoutConnection"));
  }

  /**
   * Sets the period and starts (or restarts) the timer, or with null cancels it.
   *
   * @param newPeriod the inactivity period, or null for none
   * @return the previous period, or null
   * @throws IllegalArgumentException if the period is negative
   */
  public Duration setTimeout(Duration newPeriod) {
    if (newPeriod != null && newPeriod.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + newPeriod);
    }
    Duration previous = period;
    period = newPeriod;
    if (call != null) {
      if (newPeriod == null) {
        if (call.active()) {
          call.cancel();
        }
        call = null;
      } else {
        call.reset(Clock.toSeconds(newPeriod));
      }
    } else if (newPeriod != null) {
      call = clock.callLater(newPeriod, this::timedOut);
    }
    return previous;
  }

  /** Restarts a running timer from now; does nothing if none runs. Call it on activity. */
  public void resetTimeout() {
    if (call != null && period != null) {
      call.reset(Clock.toSeconds(period));
    }
  }

  /** {@return the period set, or null} */
  public Duration timeout() {
    return period;
  }

  /**
   * {@return whether the timer is running: true between {@link #setTimeout} with a period and the
   * timeout or cancellation}
   */
  public boolean isRunning() {
    return call != null;
  }

  private void timedOut() {
    call = null;
    timeoutConnection.run();
  }
}
