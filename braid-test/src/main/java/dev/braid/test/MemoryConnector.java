package dev.braid.test;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.Addresses;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectTimeoutError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link MemoryReactor#connectTCP} call: the arguments it was given and the attempt it started,
 * which the test {@linkplain #complete() completes} or {@linkplain #fail fails}.
 *
 * <p>Lifecycle, as a real connector's: each attempt ({@code connectTCP}, or {@link #connect()} to
 * try again) tells the factory {@code startedConnecting} and schedules the timeout on the reactor's
 * clock. {@link #complete()} builds the protocol and connects it to a {@link
 * StringTransport#withDisconnection()} transport; when that connection ends, the protocol is told
 * {@code connectionLost} and then the factory {@code clientConnectionLost}. {@link #fail} and the
 * timeout tell the factory {@code clientConnectionFailed}.
 *
 * <p>Whatever throws while connecting fails the attempt as on a real reactor, instead of reaching
 * the test: the factory's {@code startedConnecting} or {@code buildProtocol} (the connection is
 * then closed), or the protocol's {@code makeConnection} ({@code connectionMade}; the protocol
 * first hears {@code connectionLost} with a {@link ConnectionLost}). The factory is told {@code
 * clientConnectionFailed} with a {@link ConnectError} that names {@code host:port} and carries the
 * exception, and is stopped unless it connects again from there. Unlike a real reactor, the fake
 * logs nothing (the factory has the exception), and an {@link Error} (a failed assertion of the
 * test's, say) is not caught: it reaches the test.
 *
 * <p>Threading: the test's thread only.
 */
public final class MemoryConnector implements Connector {
  /** Where the connector is in its lifecycle. */
  public enum State {
    /** An attempt is in progress. */
    CONNECTING,
    /** The attempt succeeded and the connection is open. */
    CONNECTED,
    /** No attempt in progress and no connection. */
    DISCONNECTED
  }

  private final MemoryReactor reactor;
  private final String host;
  private final int port;
  private final ClientFactory factory;
  private final Duration timeout;
  private final InetSocketAddress bindAddress;
  private State state = State.DISCONNECTED;
  private DelayedCall timeoutCall;
  private StringTransport transport;
  private int attempts;
  private boolean holdsFactory;
  private RuntimeException startFailure;

  MemoryConnector(
      MemoryReactor reactor,
      String host,
      int port,
      ClientFactory factory,
      Duration timeout,
      InetSocketAddress bindAddress) {
    this.reactor = reactor;
    this.host = host;
    this.port = port;
    this.factory = factory;
    this.timeout = timeout;
    this.bindAddress = bindAddress;
  }

  /** {@return the host name or address passed to {@code connectTCP}} */
  public String host() {
    return host;
  }

  /** {@return the port passed to {@code connectTCP}} */
  public int port() {
    return port;
  }

  /** {@return the factory passed to {@code connectTCP}} */
  public ClientFactory factory() {
    return factory;
  }

  /** {@return the timeout passed to {@code connectTCP}} */
  public Duration timeout() {
    return timeout;
  }

  /** {@return the bind address passed to {@code connectTCP}, or null} */
  public InetSocketAddress bindAddress() {
    return bindAddress;
  }

  /** {@return where the connector is in its lifecycle} */
  public State state() {
    return state;
  }

  /**
   * {@return how many attempts have been started: 1 after {@code connectTCP}, more after each
   * {@link #connect()}}
   */
  public int attempts() {
    return attempts;
  }

  /**
   * {@return the client side's transport of the current or last connection, or null if none was
   * made}
   */
  public StringTransport transport() {
    return transport;
  }

  @Override
  public InetSocketAddress getDestination() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * Starts a new attempt: the factory is started if needed and told {@code startedConnecting}.
   *
   * @throws IllegalStateException if an attempt is in progress or the connection is open
   */
  @Override
  public void connect() {
    if (state != State.DISCONNECTED) {
      throw new IllegalStateException("cannot connect " + this + ": it is " + state);
    }
    state = State.CONNECTING;
    attempts++;
    if (!holdsFactory) {
      holdsFactory = true;
      reactor.factoryStarted(factory);
    }
    timeoutCall =
        reactor.callLater(
            timeout,
            () -> {
              timeoutCall = null;
              failAttempt(
                  new ConnectTimeoutError(
                      describeDestination()
                          + ": connection timed out after "
                          + Clock.describe(timeout),
                      null));
            });
    int attempt = attempts;
    try {
      factory.startedConnecting(this);
    } catch (RuntimeException e) {
      if (state == State.CONNECTING && attempts == attempt) { // not stopped from startedConnecting
        cancelTimeout();
        failAttempt(new ConnectError(describeDestination() + ": startedConnecting threw " + e, e));
      }
    }
  }

  /**
   * Completes the attempt with a new {@link StringTransport#withDisconnection()} transport from
   * 10.0.0.1 to the destination.
   *
   * @return the client side's transport; its {@link StringTransport#protocol()} is the protocol
   */
  public StringTransport complete() {
    InetSocketAddress local =
        bindAddress != null
            ? bindAddress
            : new InetSocketAddress(
                StringTransport.DEFAULT_HOST.getAddress(), reactor.nextClientPort());
    return complete(StringTransport.withDisconnection().withAddresses(local, getDestination()));
  }

  /**
   * Completes the attempt with {@code connection}: the factory builds the protocol, which is
   * connected to it. If the factory returns null the connection is closed and the factory told
   * {@code clientConnectionLost} with {@link ConnectionDone}. If {@code buildProtocol} or the
   * protocol's {@code makeConnection} throws, the attempt fails instead (see the class comment).
   *
   * @param connection the client side's transport, not yet connected to a protocol
   * @return {@code connection}, closed if the attempt failed
   * @throws IllegalStateException if no attempt is in progress
   */
  public StringTransport complete(StringTransport connection) {
    Objects.requireNonNull(connection, "connection");
    checkConnecting("complete");
    cancelTimeout();
    int attempt = attempts;
    Protocol protocol;
    try {
      protocol = factory.buildProtocol(getDestination());
    } catch (RuntimeException e) {
      connection.loseConnection();
      if (state == State.CONNECTING && attempts == attempt) {
        failAttempt(new ConnectError(describeDestination() + ": buildProtocol threw " + e, e));
      }
      return connection;
    }
    if (state != State.CONNECTING || attempts != attempt) {
      connection.loseConnection(); // buildProtocol stopped the attempt
      return connection;
    }
    transport = connection;
    if (protocol == null) {
      state = State.DISCONNECTED;
      connection.loseConnection();
      factory.clientConnectionLost(this, new ConnectionDone("the factory built no protocol"));
      stopFactoryIfIdle();
      return connection;
    }
    state = State.CONNECTED;
    connection.onConnectionLost(this::connectionEnded);
    reactor.connectionMade(connection);
    try {
      connection.connect(protocol);
    } catch (RuntimeException e) {
      if (connection.lostReason() == null) {
        startFailure = e;
        connection.connectionLost(
            new ConnectionLost("Connection lost: makeConnection threw " + e, e));
      }
    }
    return connection;
  }

  /**
   * Fails the attempt: the factory is told {@code clientConnectionFailed(this, reason)}.
   *
   * @param reason why, e.g. a {@link dev.braid.net.ConnectionRefusedError}
   * @throws IllegalStateException if no attempt is in progress
   */
  public void fail(ConnectError reason) {
    Objects.requireNonNull(reason, "reason");
    checkConnecting("fail");
    cancelTimeout();
    failAttempt(reason);
  }

  /**
   * Abandons the attempt; the factory is told {@code clientConnectionFailed} with a {@link
   * ConnectError}.
   *
   * @throws IllegalStateException if no attempt is in progress
   */
  @Override
  public void stopConnecting() {
    checkConnecting("stopConnecting");
    cancelTimeout();
    failAttempt(new ConnectError(describeDestination() + ": connection attempt stopped", null));
  }

  /** Closes the connection (with {@code loseConnection}) or stops the attempt; else nothing. */
  @Override
  public void disconnect() {
    if (state == State.CONNECTED) {
      transport.loseConnection();
    } else if (state == State.CONNECTING) {
      stopConnecting();
    }
  }

  private void failAttempt(ConnectError reason) {
    state = State.DISCONNECTED;
    factory.clientConnectionFailed(this, reason);
    stopFactoryIfIdle();
  }

  private void connectionEnded(ConnectionEnd reason) {
    state = State.DISCONNECTED;
    RuntimeException failedToStart = startFailure;
    startFailure = null;
    if (failedToStart != null) {
      factory.clientConnectionFailed(
          this,
          new ConnectError(
              describeDestination() + ": the protocol's makeConnection threw " + failedToStart,
              failedToStart));
    } else {
      factory.clientConnectionLost(this, reason);
    }
    stopFactoryIfIdle();
  }

  private void stopFactoryIfIdle() {
    if (state == State.DISCONNECTED && holdsFactory) {
      holdsFactory = false;
      reactor.factoryStopped(factory);
    }
  }

  private void cancelTimeout() {
    if (timeoutCall != null && timeoutCall.active()) {
      timeoutCall.cancel();
    }
    timeoutCall = null;
  }

  private void checkConnecting(String what) {
    if (state != State.CONNECTING) {
      throw new IllegalStateException(
          "cannot " + what + " " + this + ": no attempt in progress (" + state + ")");
    }
  }

  private String describeDestination() {
    return Addresses.hostPort(host, port);
  }

  @Override
  public String toString() {
    return "MemoryConnector{" + describeDestination() + ", " + state + "}";
  }
}
