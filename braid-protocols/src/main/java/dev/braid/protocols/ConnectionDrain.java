package dev.braid.protocols;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorCore;
import dev.braid.net.SystemEventPhase;
import dev.braid.net.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Tracks a server's connections and drains them at shutdown: stops accepting, lets the connections
 * still open finish on their own for up to a grace period, then <em>resets</em> the ones left
 * ({@code abortConnection()}, an RST) rather than closing them cleanly.
 *
 * <p>Why reset: the reactor's own shutdown closes every connection cleanly, and in protocols where
 * a clean close means "that was all" (the poetry protocol: the end of the stream is the end of the
 * poem) a clean close in the middle hands the peer a truncated message as a whole one. A reset is a
 * failure to every client, Braid's and Twisted's alike.
 *
 * <pre>{@code
 * ConnectionDrain drain = ConnectionDrain.create(reactor);
 * drain.addPort(reactor.listenTCP(10000, drain.track(factory)));
 * drain.installOn(reactor, ConnectionDrain.DEFAULT_GRACE); // on stop(), SIGINT, SIGTERM
 * reactor.run();
 * }</pre>
 *
 * <h2>What {@link #drain} does</h2>
 *
 * <ol>
 *   <li>Stops listening on every port given to {@link #addPort}. A connection that still reaches a
 *       {@linkplain #track tracked} factory afterwards (through another port, or accepted before
 *       the port closed) is reset at once, without a byte.
 *   <li>Waits until every tracked connection has been lost (its protocol has heard {@code
 *       connectionLost}), or until the grace period has passed on the {@link Clock}.
 *   <li>When the grace passes with connections still open: runs the {@link #whenGraceExpires}
 *       actions (a server can fail what those connections wait for, so that they end on its own
 *       terms), then resets every tracked connection still open.
 *   <li>Fires its Deferred, once every tracked connection has been lost, with the number that were
 *       still open when the grace expired; at once if none was open.
 * </ol>
 *
 * {@link #installOn} makes that a {@link SystemEventPhase#BEFORE BEFORE} shutdown trigger, so the
 * reactor closes the rest of the world only after the drain has finished (Twisted's {@code
 * addSystemEventTrigger('before', 'shutdown', ...)} returning a Deferred).
 *
 * <p>A connection counts from {@code makeConnection} until its {@code connectionLost}, whether it
 * is mid-reply or idle: each gets the same grace. Twisted has no ready-made equivalent; Netty's
 * {@code ChannelGroup} plus {@code shutdownGracefully} is the closest.
 *
 * <p>Threading: reactor thread only; the grace is timed on the clock given to {@link #create}, so
 * tests drive it with a {@code VirtualClock}.
 */
public final class ConnectionDrain {
  /** The grace period a server gives its connections unless told otherwise: 5 seconds. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  private enum State {
    OPEN,
    DRAINING,
    DRAINED
  }

  private final Clock clock;
  private final Set<Tracked> open = new LinkedHashSet<>();
  private final List<ListeningPort> ports = new ArrayList<>();
  private final List<Runnable> graceActions = new ArrayList<>();
  private final List<Deferred<Integer>> waiting = new ArrayList<>();
  private State state = State.OPEN;
  private DelayedCall graceTimer;
  private int reset;
  private Throwable actionFailure;

  private ConnectionDrain(Clock clock) {
    this.clock = clock;
  }

  /**
   * Makes a drain with nothing tracked.
   *
   * @param clock times the grace period (the reactor, or a virtual clock in tests)
   * @return the drain
   */
  public static ConnectionDrain create(Clock clock) {
    return new ConnectionDrain(Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Returns a factory that builds {@code factory}'s protocols and tracks their connections. Give it
   * to {@code listenTCP}. Once the drain has begun, it builds nothing: each new connection is reset
   * at once (a clean close would read as an empty reply to some protocols).
   *
   * @param factory the server's factory; it may refuse connections by returning null, as usual
   * @return the tracking factory
   */
  public Factory track(Factory factory) {
    Objects.requireNonNull(factory, "factory");
    return new Factory() {
      @Override
      public Protocol buildProtocol(InetSocketAddress address) {
        if (state != State.OPEN) {
          return new ResetAtOnce();
        }
        Protocol protocol = factory.buildProtocol(address);
        return protocol == null ? null : new Tracked(protocol);
      }

      @Override
      public void startFactory() {
        factory.startFactory();
      }

      @Override
      public void stopFactory() {
        factory.stopFactory();
      }

      @Override
      public String toString() {
        return "ConnectionDrain.track(" + factory + ")";
      }
    };
  }

  /**
   * Adds a port to close when the drain begins; closed at once if it has begun.
   *
   * @param port a port listening with a {@linkplain #track tracked} factory
   * @return {@code port}, for chaining with {@code listenTCP}
   */
  public ListeningPort addPort(ListeningPort port) {
    Objects.requireNonNull(port, "port");
    if (state == State.OPEN) {
      ports.add(port);
    } else {
      port.stopListening();
    }
    return port;
  }

  /**
   * Adds an action to run when the grace period passes with tracked connections still open, just
   * before they are reset: a caching proxy, for instance, fails the clients still waiting on its
   * upstream, and says so in its log. Actions run in the order added, once, and only if some
   * connection is left. An action that throws does not stop the others or the resets; the drain's
   * Deferred then fails with the first exception, once the connections are gone.
   *
   * @param action what to run, on the reactor thread
   * @return this drain
   */
  public ConnectionDrain whenGraceExpires(Runnable action) {
    graceActions.add(Objects.requireNonNull(action, "action"));
    return this;
  }

  /**
   * Drains this server when {@code reactor} shuts down: adds a {@link SystemEventPhase#BEFORE
   * BEFORE} trigger that calls {@link #drain drain(grace)} and returns its Deferred, which the
   * reactor waits for before it closes what is left.
   *
   * @param reactor the reactor the server runs on
   * @param grace how long connections in flight may take to finish; zero resets them at once
   * @return the trigger's handle, for {@link ReactorCore#removeSystemEventTrigger}
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  public Object installOn(ReactorCore reactor, Duration grace) {
    Objects.requireNonNull(reactor, "reactor");
    requireGrace(grace);
    return reactor.addSystemEventTrigger(SystemEventPhase.BEFORE, () -> drain(grace));
  }

  /**
   * Begins the drain (see the class comment), or joins the one under way: a second call does not
   * change the first call's grace.
   *
   * @param grace how long connections in flight may take to finish; zero resets them at once
   * @return a Deferred fired once every tracked connection has been lost (at once if none was open)
   *     with the number of connections still open when the grace expired, which were reset (by the
   *     drain, or ended by a {@link #whenGraceExpires} action); or failed with the first exception
   *     of such an action
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  public Deferred<Integer> drain(Duration grace) {
    requireGrace(grace);
    Deferred<Integer> result = Deferred.create();
    waiting.add(result);
    if (state == State.OPEN) {
      state = State.DRAINING;
      List<ListeningPort> toClose = new ArrayList<>(ports);
      ports.clear();
      for (ListeningPort port : toClose) {
        port.stopListening();
      }
      if (open.isEmpty()) {
        finish();
      } else if (grace.isZero()) {
        graceExpired();
      } else {
        graceTimer = clock.callLater(grace, this::graceExpired);
      }
    } else if (state == State.DRAINED) {
      finish();
    }
    return result;
  }

  /**
   * {@return how many tracked connections are open, from {@code makeConnection} to {@code
   * connectionLost}}
   */
  public int connectionCount() {
    return open.size();
  }

  /**
   * {@return whether {@link #drain} has been called: true once the drain has begun, also after it
   * finished}
   */
  public boolean isDraining() {
    return state != State.OPEN;
  }

  private void graceExpired() {
    graceTimer = null;
    if (state != State.DRAINING || open.isEmpty()) {
      return;
    }
    reset = open.size();
    for (Runnable action : graceActions) {
      try {
        action.run();
      } catch (RuntimeException | Error e) {
        if (actionFailure == null) {
          actionFailure = e;
        }
      }
    }
    for (Tracked connection : new ArrayList<>(open)) {
      if (open.contains(connection)) {
        connection.transport.abortConnection();
      }
    }
    if (open.isEmpty()) {
      finish();
    }
  }

  private void lost(Tracked connection) {
    if (open.remove(connection) && state == State.DRAINING && open.isEmpty()) {
      finish();
    }
  }

  private void finish() {
    state = State.DRAINED;
    if (graceTimer != null && graceTimer.active()) {
      graceTimer.cancel();
    }
    graceTimer = null;
    List<Deferred<Integer>> toFire = new ArrayList<>(waiting);
    waiting.clear();
    for (Deferred<Integer> d : toFire) {
      if (actionFailure != null) {
        d.errback(actionFailure);
      } else {
        d.callback(reset);
      }
    }
  }

  private static void requireGrace(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
  }

  @Override
  public String toString() {
    return "ConnectionDrain{" + state + ", open=" + open.size() + ", reset=" + reset + "}";
  }

  /**
   * A tracked connection: passes every event to the server's protocol and tells the drain when it
   * is made and lost (after the protocol has heard {@code connectionLost}).
   */
  private final class Tracked implements Protocol, Framed {
    private final Protocol wrapped;
    private Transport transport;

    Tracked(Protocol wrapped) {
      this.wrapped = wrapped;
    }

    @Override
    public void makeConnection(Transport t) {
      transport = t;
      open.add(this);
      wrapped.makeConnection(t);
    }

    @Override
    public void dataReceived(byte[] data) {
      wrapped.dataReceived(data);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      try {
        wrapped.connectionLost(reason);
      } finally {
        lost(this);
      }
    }

    @Override
    public long partialFrameStart() {
      return wrapped instanceof Framed framed ? framed.partialFrameStart() : -1;
    }

    @Override
    public String toString() {
      return "ConnectionDrain.Tracked{" + wrapped + "}";
    }
  }

  /** The protocol of a connection that arrives once the drain has begun: reset at once. */
  private static final class ResetAtOnce implements Protocol {
    @Override
    public void makeConnection(Transport transport) {
      transport.abortConnection();
    }

    @Override
    public void dataReceived(byte[] data) {}

    @Override
    public void connectionLost(ConnectionEnd reason) {}
  }
}
