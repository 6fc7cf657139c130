package dev.braid.protocols;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Connection policies for any server, as factory decorators (Twisted's {@code
 * twisted.protocols.policies}): wrap the factory given to {@code listenTCP} and every connection it
 * builds gets the policy. They compose: {@code limitConnections(idleTimeout(frameDeadline(f, ...),
 * ...), ...)}.
 *
 * <pre>{@code
 * Factory guarded =
 *     Policies.limitConnections(
 *         Policies.idleTimeout(
 *             Policies.frameDeadline(address -> new Transformer(), reactor, Duration.ofSeconds(10)),
 *             reactor, Duration.ofMinutes(2)),
 *         ConnectionLimits.total(1000).withPerPeer(20));
 * reactor.listenTCP(10001, guarded);
 * }</pre>
 *
 * <p>Threading: the factories and protocols made here run on the reactor thread; their timers run
 * on the given {@link Clock}, so tests drive them with a {@code VirtualClock}.
 */
public final class Policies {
  private Policies() {}

  /**
   * Closes a connection ({@code loseConnection()}) once {@code idle} has passed without data
   * received or written (Twisted's {@code TimeoutFactory}/{@code TimeoutProtocol}). The timer
   * starts when the connection is made and stops when it is lost.
   *
   * <p>A clean close waits for the data already written to be sent, which never happens if the peer
   * does not read. So when the period passes again without traffic and the connection is still
   * there (or when it first passes on a connection that was already closing), the connection is
   * aborted ({@code abortConnection()}): Twisted's {@code HTTPChannel} does the same with its
   * {@code abortTimeout}. A peer that reads slowly but steadily is not cut while the protocol keeps
   * writing (a producer writes as the peer reads), since every write restarts the period.
   *
   * @param factory the factory to wrap
   * @param clock the clock to time on
   * @param idle the longest time without traffic
   * @return a factory whose protocols have the timeout
   */
  public static Factory idleTimeout(Factory factory, Clock clock, Duration idle) {
    return idle(factory, clock, idle, false);
  }

  /**
   * Resets a connection ({@code abortConnection()}) once {@code idle} has passed without data
   * received or written: {@link #idleTimeout} for protocols in which a clean close means "that was
   * all", such as the poetry protocol, where the end of the stream is the end of the poem. Closing
   * such a connection cleanly in the middle would hand the peer a truncated message as a whole one;
   * a reset tells it the truth. Every write or read restarts the period.
   *
   * @param factory the factory to wrap
   * @param clock the clock to time on
   * @param idle the longest time without traffic
   * @return a factory whose protocols have the timeout
   */
  public static Factory idleReset(Factory factory, Clock clock, Duration idle) {
    return idle(factory, clock, idle, true);
  }

  private static Factory idle(Factory factory, Clock clock, Duration idle, boolean reset) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(clock, "clock");
    requirePositive(idle, "idle timeout");
    return wrapping(
        factory,
        protocol ->
            new ProtocolWrapper.Policy() {
              private IdleTimeout timeout;

              @Override
              public void connectionMade(ProtocolWrapper connection) {
                timeout = IdleTimeout.create(clock, () -> timedOut(connection));
                timeout.setTimeout(idle);
              }

              private void timedOut(ProtocolWrapper connection) {
                if (reset || connection.transport().isDisconnecting()) {
                  connection.transport().abortConnection();
                } else {
                  timeout.setTimeout(idle); // if it is still there then, abort it
                  connection.transport().loseConnection();
                }
              }

              @Override
              public void beforeDataReceived(ProtocolWrapper connection) {
                timeout.resetTimeout();
              }

              @Override
              public void dataWritten(ProtocolWrapper connection) {
                timeout.resetTimeout();
              }

              @Override
              public void connectionLost(ProtocolWrapper connection, ConnectionEnd reason) {
                timeout.setTimeout(null);
              }
            });
  }

  /**
   * Aborts a connection ({@code abortConnection()}) when a frame has not been received whole within
   * {@code deadline} of the read that brought its first byte: the defence against "slowloris" peers
   * that keep a connection busy by trickling a frame a byte at a time, which an idle timeout cannot
   * catch. Each new frame gets a new deadline; a connection between frames has none.
   *
   * <p>The protocols built by {@code factory} must implement {@link Framed} (every receiver of this
   * package does). It aborts rather than closes: a peer that trickles may also refuse to read, and
   * a clean close would wait for it.
   *
   * @param factory the factory to wrap; its protocols must be {@link Framed}
   * @param clock the clock to time on
   * @param deadline the longest time from a frame's first byte to its last
   * @return a factory whose protocols have the deadline
   * @throws IllegalStateException from {@code buildProtocol} if a protocol is not {@link Framed}
   */
  public static Factory frameDeadline(Factory factory, Clock clock, Duration deadline) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(clock, "clock");
    requirePositive(deadline, "frame deadline");
    return wrapping(
        factory,
        protocol -> {
          if (!(protocol instanceof Framed framed)) {
            throw new IllegalStateException(
                "frameDeadline needs protocols that implement Framed; got " + protocol);
          }
          return new FrameDeadline(framed, clock, deadline);
        });
  }

  /**
   * Limits how many connections are open at once, in total and per peer host; see {@link
   * ConnectionLimiter}.
   *
   * @param factory the factory to wrap
   * @param limits the limits
   * @return the limiting factory, which also tells the current counts
   */
  public static ConnectionLimiter limitConnections(Factory factory, ConnectionLimits limits) {
    return new ConnectionLimiter(factory, limits, null);
  }

  /** Wraps each protocol {@code factory} builds with the policy made for it. */
  private static Factory wrapping(
      Factory factory, Function<Protocol, ProtocolWrapper.Policy> policyFor) {
    return new Factory() {
      @Override
      public Protocol buildProtocol(InetSocketAddress address) {
        Protocol protocol = factory.buildProtocol(address);
        return protocol == null ? null : new ProtocolWrapper(protocol, policyFor.apply(protocol));
      }

      @Override
      public void startFactory() {
        factory.startFactory();
      }

      @Override
      public void stopFactory() {
        factory.stopFactory();
      }
    };
  }

  private static void requirePositive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + duration);
    }
  }

  /** The per-connection state of {@link #frameDeadline}. */
  private static final class FrameDeadline implements ProtocolWrapper.Policy {
    private final Framed framed;
    private final Clock clock;
    private final Duration deadline;
    private long frameStart = -1;
    private DelayedCall call;

    FrameDeadline(Framed framed, Clock clock, Duration deadline) {
      this.framed = framed;
      this.clock = clock;
      this.deadline = deadline;
    }

    @Override
    public void afterDataReceived(ProtocolWrapper connection) {
      long start = framed.partialFrameStart();
      if (start == frameStart) {
        return;
      }
      cancel();
      frameStart = start;
      if (start >= 0) {
        call =
            clock.callLater(
                deadline,
                () -> {
                  call = null;
                  connection.transport().abortConnection();
                });
      }
    }

    @Override
    public void connectionLost(ProtocolWrapper connection, ConnectionEnd reason) {
      cancel();
    }

    private void cancel() {
      if (call != null && call.active()) {
        call.cancel();
      }
      call = null;
    }
  }
}
