package dev.braid.sim;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectTimeoutError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An outgoing connection on a simulated host and its attempts, as the reactor's TCP connector
 * behaves: one timeout per attempt, failures to the factory's {@code clientConnectionFailed} as
 * {@link ConnectError}s naming {@code host:port}, the factory started with the first attempt and
 * stopped when an attempt fails or a connection ends without a new attempt. Threading: the
 * simulation's thread.
 */
final class SimConnector implements Connector {
  private enum State {
    DISCONNECTED,
    CONNECTING,
    CONNECTED
  }

  private final SimHost host;
  private final String destination;
  private final int port;
  private final ClientFactory factory;
  private final Duration timeout;
  private final String name;
  private State state = State.DISCONNECTED;
  private boolean factoryStarted;
  private Attempt attempt;
  private SimTransport transport;

  SimConnector(
      SimHost host, String destination, int port, ClientFactory factory, Duration timeout) {
    this.host = host;
    this.destination = destination;
    this.port = port;
    this.factory = factory;
    this.timeout = timeout;
    this.name = destination + ":" + port;
  }

  @Override
  public void connect() {
    if (state != State.DISCONNECTED) {
      throw new IllegalStateException(
          "cannot connect: " + this + " is " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (!factoryStarted) {
      factoryStarted = true;
      host.factoryStarted(factory);
    }
    state = State.CONNECTING;
    Attempt a = new Attempt();
    attempt = a;
    host.connecting(this);
    host.simulation().note(host.name(), "connect " + name);
    if (timeout != null) {
      a.timer =
          host.callLater(
              timeout,
              () ->
                  a.fail(
                      new ConnectTimeoutError(
                          name + ": connection timed out after " + Clock.describe(timeout), null)));
    }
    Throwable failed =
        host.simulation().guard(host, "startedConnecting", () -> factory.startedConnecting(this));
    if (failed != null) {
      a.fail(new ConnectError(name + ": startedConnecting threw " + failed, failed));
      return;
    }
    if (a.current()) {
      host.simulation().syn(a, host, destination, port);
    }
  }

  @Override
  public void stopConnecting() {
    if (state != State.CONNECTING) {
      throw new IllegalStateException(
          "not connecting: " + this + " is " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    attempt.fail(new ConnectError(name + ": connection attempt stopped by stopConnecting()", null));
  }

  @Override
  public void disconnect() {
    if (state == State.CONNECTING) {
      stopConnecting();
    } else if (state == State.CONNECTED) {
      transport.loseConnection();
    }
  }

  @Override
  public InetSocketAddress getDestination() {
    return InetSocketAddress.createUnresolved(destination, port);
  }

  /** The host shuts down: an attempt in progress fails with {@code why}. */
  void abandon(String why) {
    if (state == State.CONNECTING) {
      attempt.fail(new ConnectError(name + ": " + why, null));
    }
  }

  /** The host crashed: the attempt is forgotten, its factory told nothing. */
  void vanish() {
    attempt = null;
    state = State.DISCONNECTED;
  }

  /**
   * The SYN-ACK arrived at {@code t}: if the attempt is still wanted, the factory builds the
   * protocol and the connection is made.
   *
   * @return false if nobody wants the connection any more (the caller resets it)
   */
  boolean established(SimTransport t) {
    Attempt a = attempt;
    if (a == null || !a.current()) {
      return false;
    }
    Protocol[] built = {null};
    Throwable failed =
        host.simulation()
            .guard(host, "buildProtocol", () -> built[0] = factory.buildProtocol(t.getPeer()));
    if (failed != null) {
      a.fail(new ConnectError(name + ": buildProtocol threw " + failed, failed));
      return false;
    }
    if (!a.current()) {
      return false; // buildProtocol stopped the attempt
    }
    a.cancelTimer();
    attempt = null;
    state = State.CONNECTED;
    transport = t;
    host.connectingDone(this);
    host.simulation().note(host.name(), t.connectionLabel() + " connected to " + name);
    t.start(built[0]);
    return true;
  }

  /** The connection's protocol threw from {@code makeConnection}: for the factory, it failed. */
  void protocolFailedToStart(Throwable error) {
    transport = null;
    state = State.DISCONNECTED;
    ConnectError reason =
        new ConnectError(name + ": the protocol's makeConnection threw " + error, error);
    host.simulation()
        .guard(host, "clientConnectionFailed", () -> factory.clientConnectionFailed(this, reason));
    stopFactoryUnlessReconnecting();
  }

  /** The connection ended and its protocol has been told. */
  void connectionLost(ConnectionEnd reason) {
    transport = null;
    state = State.DISCONNECTED;
    host.simulation()
        .guard(host, "clientConnectionLost", () -> factory.clientConnectionLost(this, reason));
    stopFactoryUnlessReconnecting();
  }

  private void stopFactoryUnlessReconnecting() {
    if (state == State.DISCONNECTED && factoryStarted && host.isUp()) {
      factoryStarted = false;
      host.factoryStopped(factory);
    }
  }

  @Override
  public String toString() {
    return "connector to " + name + " from " + host.name();
  }

  /** One attempt; stale once it succeeded or failed. */
  final class Attempt {
    private final int incarnation = host.incarnation();
    DelayedCall timer;

    boolean current() {
      return attempt == this && host.incarnation() == incarnation;
    }

    SimHost host() {
      return host;
    }

    SimConnector connector() {
      return SimConnector.this;
    }

    void cancelTimer() {
      if (timer != null && timer.active()) {
        timer.cancel();
      }
      timer = null;
    }

    void fail(ConnectError reason) {
      if (!current()) {
        return;
      }
      attempt = null;
      cancelTimer();
      state = State.DISCONNECTED;
      host.connectingDone(SimConnector.this);
      host.simulation()
          .note(host.name(), "connect to " + name + " failed: " + Simulation.describe(reason));
      host.simulation()
          .guard(
              host,
              "clientConnectionFailed",
              () -> factory.clientConnectionFailed(SimConnector.this, reason));
      stopFactoryUnlessReconnecting();
    }
  }
}
