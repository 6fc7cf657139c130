package dev.braid.net;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client factory that reconnects, with exponential backoff, whenever a connection attempt fails
 * or a connection is lost: Twisted's {@code ReconnectingClientFactory}.
 *
 * <p>After each failure or loss the delay grows: {@code delay = min(delay * factor, maxDelay)},
 * then, with jitter, {@code delay} is drawn from a normal distribution with that mean and a
 * standard deviation of {@code delay * jitter}. The defaults are Twisted's: initial delay 1 s,
 * factor e (2.718...), jitter 0.119..., max delay 3600 s, unlimited retries. So the first retry
 * comes about 2.7 s after the first failure. Call {@link #resetDelay()} once connected (typically
 * from the protocol's {@code connectionMade}), and {@link #stopTrying()} to give up.
 *
 * <pre>{@code
 * final class EchoClientFactory extends ReconnectingClientFactory {
 *   EchoClientFactory(Clock clock) { super(clock); }
 *
 *   public Protocol buildProtocol(InetSocketAddress address) {
 *     resetDelay();
 *     return new EchoClient();
 *   }
 * }
 * reactor.connectTCP("example.org", 7, new EchoClientFactory(reactor));
 * }</pre>
 *
 * <p>Subclasses that override {@link #clientConnectionFailed} or {@link #clientConnectionLost} call
 * {@code super} to keep reconnecting.
 *
 * <p>Threading: the clock's thread (the reactor thread) only.
 */
public abstract class ReconnectingClientFactory implements ClientFactory {
  private static final Logger LOG = LoggerFactory.getLogger(ReconnectingClientFactory.class);

  /** Twisted's default maximum delay, in seconds. */
  public static final double DEFAULT_MAX_DELAY = 3600;

  /** Twisted's default initial delay, in seconds. */
  public static final double DEFAULT_INITIAL_DELAY = 1.0;

  /** Twisted's default growth factor: e. */
  public static final double DEFAULT_FACTOR = 2.7182818284590451;

  /** Twisted's default jitter: the standard deviation as a fraction of the delay. */
  public static final double DEFAULT_JITTER = 0.11962656472;

  private final Clock clock;
  private RandomGenerator random = new Random();
  private double maxDelay = DEFAULT_MAX_DELAY;
  private double initialDelay = DEFAULT_INITIAL_DELAY;
  private double factor = DEFAULT_FACTOR;
  private double jitter = DEFAULT_JITTER;
  private int maxRetries = -1;
  private double delay = DEFAULT_INITIAL_DELAY;
  private int retries;
  private boolean continueTrying = true;
  private DelayedCall retryCall;
  private Connector connector;

  /**
   * Creates the factory.
   *
   * @param clock where the delays are timed: the reactor, or a {@code VirtualClock} in tests
   */
  protected ReconnectingClientFactory(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The attempt failed: schedules a retry unless {@link #stopTrying()} was called.
   *
   * @param connector the attempt
   * @param reason why it failed
   */
  @Override
  public void clientConnectionFailed(Connector connector, ConnectError reason) {
    if (continueTrying) {
      this.connector = connector;
      retry();
    }
  }

  /**
   * The connection was lost: schedules a reconnection unless {@link #stopTrying()} was called.
   *
   * @param connector the connector
   * @param reason how the connection ended
   */
  @Override
  public void clientConnectionLost(Connector connector, ConnectionEnd reason) {
    if (continueTrying) {
      this.connector = connector;
      retry();
    }
  }

  /**
   * Schedules the next attempt on the last connector seen, after growing the delay; gives up
   * instead when {@link #stopTrying()} was called or the retries are used up.
   *
   * @throws IllegalStateException if no connector has been seen yet
   */
  public void retry() {
    if (!continueTrying) {
      LOG.debug("Abandoning {} on explicit request", connector);
      return;
    }
    Connector target = connector;
    if (target == null) {
      throw new IllegalStateException("no connector to retry");
    }
    retries++;
    if (maxRetries >= 0 && retries > maxRetries) {
      LOG.debug("Abandoning {} after {} retries", target, retries);
      return;
    }
    delay = Math.min(delay * factor, maxDelay);
    if (jitter != 0) {
      delay = delay + random.nextGaussian() * delay * jitter;
    }
    LOG.debug("{} will retry in {} seconds", target, delay);
    retryCall =
        clock.callLater(
            delay,
            () -> {
              retryCall = null;
              target.connect();
            });
  }

  /**
   * Gives up: cancels a scheduled retry and stops an attempt in progress (Twisted's {@code
   * stopTrying}). A connection already made is left alone. {@link #resetDelay()} starts trying
   * again.
   */
  public void stopTrying() {
    if (retryCall != null) {
      if (retryCall.active()) {
        retryCall.cancel();
      }
      retryCall = null;
    }
    continueTrying = false;
    if (connector != null) {
      try {
        connector.stopConnecting();
      } catch (IllegalStateException notConnecting) {
        // nothing in progress
      }
    }
  }

  /**
   * Resets the delay and the retry count, and resumes trying: call it once connected.
   *
   * <p>As in Twisted, a retry already scheduled is forgotten, not cancelled.
   */
  public void resetDelay() {
    delay = initialDelay;
    retries = 0;
    retryCall = null;
    continueTrying = true;
  }

  // --- settings and state -------------------------------------------------------------------

  /**
   * Sets the longest delay between attempts.
   *
   * @param seconds the maximum delay; default {@value #DEFAULT_MAX_DELAY}
   * @return this factory
   */
  public ReconnectingClientFactory setMaxDelay(double seconds) {
    this.maxDelay = seconds;
    return this;
  }

  /**
   * Sets the delay that {@link #resetDelay()} returns to (and the starting delay, if called before
   * the first failure).
   *
   * @param seconds the initial delay; default {@value #DEFAULT_INITIAL_DELAY}
   * @return this factory
   */
  public ReconnectingClientFactory setInitialDelay(double seconds) {
    this.initialDelay = seconds;
    if (retries == 0) {
      this.delay = seconds;
    }
    return this;
  }

  /**
   * Sets how much the delay grows after each failure.
   *
   * @param factor the multiplier; default e
   * @return this factory
   */
  public ReconnectingClientFactory setFactor(double factor) {
    this.factor = factor;
    return this;
  }

  /**
   * Sets the jitter: the standard deviation of the delay as a fraction of it; 0 for none.
   *
   * @param jitter the fraction; default {@value #DEFAULT_JITTER}
   * @return this factory
   */
  public ReconnectingClientFactory setJitter(double jitter) {
    this.jitter = jitter;
    return this;
  }

  /**
   * Limits the number of retries; after that many, the factory gives up.
   *
   * @param maxRetries the limit, or -1 for none (the default)
   * @return this factory
   */
  public ReconnectingClientFactory setMaxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
    return this;
  }

  /**
   * Sets the source of randomness for the jitter, e.g. a seeded one in tests.
   *
   * @param random the generator
   * @return this factory
   */
  public ReconnectingClientFactory setRandom(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /** {@return the current delay in seconds: the one used for the last retry scheduled} */
  public double delay() {
    return delay;
  }

  /** {@return how many retries have been made since the last {@link #resetDelay()}} */
  public int retries() {
    return retries;
  }

  /** {@return whether the factory will keep reconnecting: false after {@link #stopTrying()}} */
  public boolean isTrying() {
    return continueTrying;
  }

  /** {@return the clock the delays are timed on} */
  protected final Clock clock() {
    return clock;
  }
}
