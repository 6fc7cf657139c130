package dev.braid.reactor;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.Addresses;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectBindError;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectTimeoutError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.Connector;
import dev.braid.net.DnsLookupError;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outgoing TCP connection and its attempts: Twisted's {@code tcp.Connector} with its {@code
 * Client} transport.
 *
 * <p>Each {@link #connect()} is one attempt: resolve the host (an address literal at once, a host
 * name on the reactor's pool), open a non-blocking socket (of the reactor's {@link Poller}),
 * connect, and wait for {@code OP_CONNECT} — all under one timeout. Failures reach the factory's
 * {@code clientConnectionFailed} as {@link ConnectError}s naming {@code host:port}: {@link
 * ConnectionRefusedError}, {@link ConnectTimeoutError}, {@link DnsLookupError}, {@link
 * ConnectBindError}, or a plain {@code ConnectError} carrying the cause. Whatever throws on the way
 * (the JDK's socket calls, the factory's {@code startedConnecting} or {@code buildProtocol}, the
 * protocol's {@code makeConnection}) fails the attempt that way and closes its socket: an attempt
 * never stays in progress. The factory is started with the first attempt and stopped when an
 * attempt fails or a connection ends and the factory did not start a new attempt from its callback
 * (Twisted's {@code factoryStarted}).
 *
 * <p>Threading: reactor thread only.
 */
final class TcpConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(TcpConnector.class);

  private enum State {
    DISCONNECTED,
    CONNECTING,
    CONNECTED
  }

  private final SelectorReactor reactor;
  private final String host;
  private final int port;
  private final ClientFactory factory;
  private final Duration timeout;
  private final InetSocketAddress bindAddress;
  private final InetAddress literal;
  private final String name;
  private State state = State.DISCONNECTED;
  private boolean factoryStarted;
  private Attempt attempt;
  private TcpTransport transport;

  private TcpConnector(
      SelectorReactor reactor,
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
    this.literal = AddressLiterals.literal(host);
    this.name = Addresses.hostPort(host, port);
  }

  static TcpConnector create(
      SelectorReactor reactor,
      String host,
      int port,
      ClientFactory factory,
      Duration timeout,
      InetSocketAddress bindAddress) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(factory, "factory");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return new TcpConnector(reactor, host, port, factory, timeout, bindAddress);
  }

  // ---------------------------------------------------------------------------------------------
  // Connector

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if already connecting or connected
   */
  @Override
  public void connect() {
    reactor.checkReactorThread("Connector.connect()");
    if (state != State.DISCONNECTED) {
      throw new IllegalStateException("cannot connect: " + this + " is " + stateName());
    }
    if (!factoryStarted) {
      FactoryStarts.doStart(factory);
      factoryStarted = true;
    }
    state = State.CONNECTING;
    Attempt a = new Attempt();
    attempt = a;
    reactor.connectorStarted(this);
    if (timeout != null) {
      a.timer =
          reactor.callLater(
              timeout,
              () ->
                  a.fail(
                      new ConnectTimeoutError(
                          name + ": connection timed out after " + Clock.describe(timeout), null)));
    }
    try {
      factory.startedConnecting(this);
    } catch (Throwable t) {
      LOG.error("startedConnecting threw for {}; the attempt fails", this, t);
      a.fail(new ConnectError(name + ": startedConnecting threw " + t, t));
      return;
    }
    a.begin();
  }

  @Override
  public void stopConnecting() {
    reactor.checkReactorThread("Connector.stopConnecting()");
    if (state != State.CONNECTING) {
      throw new IllegalStateException("not connecting: " + this + " is " + stateName());
    }
    attempt.fail(new ConnectError(name + ": connection attempt stopped by stopConnecting()", null));
  }

  @Override
  public void disconnect() {
    reactor.checkReactorThread("Connector.disconnect()");
    if (state == State.CONNECTING) {
      stopConnecting();
    } else if (state == State.CONNECTED) {
      transport.loseConnection();
    }
  }

  @Override
  public InetSocketAddress getDestination() {
    return literal != null
        ? new InetSocketAddress(literal, port)
        : InetSocketAddress.createUnresolved(host, port);
  }

  /** Fails an attempt in progress because the reactor is shutting down. */
  void abandonForShutdown() {
    abandon("the reactor stopped before connecting", null);
  }

  /** Fails an attempt in progress with {@code why} (after the address) and {@code cause}. */
  void abandon(String why, Throwable cause) {
    if (state == State.CONNECTING) {
      attempt.fail(new ConnectError(name + ": " + why, cause));
    }
  }

  /**
   * The protocol of the connection made by this connector threw from {@code makeConnection}; the
   * connection has closed and the protocol has been told. For the factory the attempt failed.
   */
  void protocolFailedToStart(Throwable error) {
    transport = null;
    state = State.DISCONNECTED;
    try {
      factory.clientConnectionFailed(
          this, new ConnectError(name + ": the protocol's makeConnection threw " + error, error));
    } catch (Throwable t) {
      LOG.error("clientConnectionFailed threw for {}", this, t);
    }
    stopFactoryUnlessReconnecting();
  }

  /** The connection made by this connector has closed and its protocol has been told. */
  void connectionLost(ConnectionEnd reason) {
    transport = null;
    state = State.DISCONNECTED;
    try {
      factory.clientConnectionLost(this, reason);
    } catch (Throwable t) {
      LOG.error("clientConnectionLost threw for {}", this, t);
    }
    stopFactoryUnlessReconnecting();
  }

  private void stopFactoryUnlessReconnecting() {
    if (state == State.DISCONNECTED && factoryStarted) {
      factoryStarted = false;
      try {
        FactoryStarts.doStop(factory);
      } catch (Throwable t) {
        LOG.error("stopFactory threw for {}", this, t);
      }
    }
  }

  private String stateName() {
    return state.name().toLowerCase(Locale.ROOT);
  }

  /** For a dump: "host:port". */
  String name() {
    return name;
  }

  /** For a dump: its connection while connected, else null. */
  TcpTransport connection() {
    return state == State.CONNECTED ? transport : null;
  }

  /** For a dump: true while an attempt is in progress. */
  boolean isConnecting() {
    return state == State.CONNECTING;
  }

  @Override
  public String toString() {
    return "connector to " + name;
  }

  // ---------------------------------------------------------------------------------------------

  /** One attempt to connect; stale once it has succeeded or failed. */
  private final class Attempt implements IoHandler {
    DelayedCall timer;
    StreamSocket socket;

    boolean current() {
      return attempt == this;
    }

    void begin() {
      if (!current()) {
        return; // stopped from startedConnecting
      }
      if (literal != null) {
        reactor.soon(() -> connectTo(literal));
        return;
      }
      reactor
          .deferToThread(() -> InetAddress.getByName(host))
          .addCallbacks(
              address -> {
                connectTo(address);
                return null;
              },
              failure -> {
                Throwable e = failure.value();
                String why =
                    e instanceof UnknownHostException
                        ? "DNS lookup failed"
                        : "DNS lookup failed: " + e;
                fail(new DnsLookupError(name + ": " + why, e));
                return null;
              });
    }

    private void connectTo(InetAddress address) {
      if (!current()) {
        return;
      }
      try {
        socket = reactor.openStream(address);
        if (bindAddress != null) {
          bind();
        }
        socket.register();
        socket.attach(this);
        if (socket.connect(new InetSocketAddress(address, port))) {
          connected();
        } else {
          socket.interestOps(SelectionKey.OP_CONNECT);
        }
      } catch (Throwable t) {
        fail(classify(t));
      }
    }

    private void bind() throws ConnectBindError {
      try {
        socket.bind(bindAddress);
      } catch (IOException | RuntimeException e) {
        String why =
            e instanceof UnresolvedAddressException
                ? "unresolved address"
                : e.getMessage() == null ? e.toString() : e.getMessage();
        throw new ConnectBindError(
            name + ": cannot bind to " + Addresses.describe(bindAddress) + ": " + why, e);
      }
    }

    @Override
    public void handleReady(int readyOps) {
      if ((readyOps & SelectionKey.OP_CONNECT) == 0 || !current()) {
        return;
      }
      try {
        if (socket.finishConnect()) {
          connected();
        }
      } catch (Throwable t) {
        fail(classify(t));
      }
    }

    @Override
    public void handlerFailed(Throwable error) {
      fail(new ConnectError(name + ": reactor error: " + error, error));
    }

    /**
     * The socket is connected: builds the protocol and hands the socket to a transport. If {@code
     * buildProtocol} throws, the attempt fails; if it returns null, the connection is made with a
     * stand-in protocol and closed at once (Twisted).
     */
    private void connected() throws IOException {
      InetSocketAddress local = socket.localAddress();
      InetSocketAddress peer = socket.remoteAddress();
      Protocol protocol;
      try {
        protocol = factory.buildProtocol(peer);
      } catch (Throwable e) {
        LOG.error("buildProtocol threw for {}; the attempt fails", TcpConnector.this, e);
        fail(new ConnectError(name + ": buildProtocol threw " + e, e));
        return;
      }
      if (!current()) {
        return; // buildProtocol stopped the attempt: the socket is closed already
      }
      socket.interestOps(0);
      TcpTransport t = new TcpTransport(reactor, socket, TcpConnector.this, local, peer);
      cancelTimer();
      attempt = null;
      state = State.CONNECTED;
      transport = t;
      reactor.connectorFinished(TcpConnector.this);
      if (protocol == null) {
        // Twisted: a stand-in protocol, and the connection is disposed of at once.
        t.start(NO_PROTOCOL);
        t.loseConnection();
      } else {
        t.start(protocol); // if makeConnection throws: protocolFailedToStart, from the loop
      }
    }

    void fail(ConnectError reason) {
      if (!current()) {
        return;
      }
      attempt = null;
      cancelTimer();
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          LOG.debug("closing the socket of {} failed", TcpConnector.this, e);
        }
      }
      state = State.DISCONNECTED;
      reactor.connectorFinished(TcpConnector.this);
      try {
        factory.clientConnectionFailed(TcpConnector.this, reason);
      } catch (Throwable t) {
        LOG.error("clientConnectionFailed threw for {}", TcpConnector.this, t);
      }
      stopFactoryUnlessReconnecting();
    }

    private void cancelTimer() {
      if (timer != null && timer.active()) {
        timer.cancel();
      }
    }

    private ConnectError classify(Throwable t) {
      if (t instanceof ConnectError known) {
        return known;
      }
      if (!(t instanceof IOException e)) {
        return new ConnectError(name + ": " + t, t);
      }
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      if (e instanceof ConnectException && message.toLowerCase(Locale.ROOT).contains("refused")) {
        return new ConnectionRefusedError(name + ": connection refused", e);
      }
      if (e instanceof NoRouteToHostException) {
        return new ConnectError(name + ": no route to host", e);
      }
      return new ConnectError(name + ": " + message, e);
    }

    @Override
    public String toString() {
      return "connection attempt to " + name;
    }
  }

  /** The protocol of a connection whose factory built none. */
  private static final Protocol NO_PROTOCOL =
      new Protocol() {
        @Override
        public void makeConnection(Transport transport) {}

        @Override
        public void dataReceived(byte[] data) {}

        @Override
        public void connectionLost(ConnectionEnd reason) {}

        @Override
        public String toString() {
          return "(no protocol)";
        }
      };
}
