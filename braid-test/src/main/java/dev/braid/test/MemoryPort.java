package dev.braid.test;

import dev.braid.defer.Deferred;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link MemoryReactor#listenTCP} call: the arguments it was given, and a listening port on which
 * the test opens connections with {@link #accept()}.
 *
 * <p>Threading: the test's thread only.
 */
public final class MemoryPort implements ListeningPort {
  private final MemoryReactor reactor;
  private final int requestedPort;
  private final Factory factory;
  private final int backlog;
  private final String iface;
  private final InetSocketAddress host;
  private final List<StringTransport> accepted = new ArrayList<>();
  private boolean listening = true;
  private int nextPeerPort = 50000;

  MemoryPort(
      MemoryReactor reactor,
      int requestedPort,
      int actualPort,
      Factory factory,
      int backlog,
      String iface) {
    this.reactor = reactor;
    this.requestedPort = requestedPort;
    this.factory = factory;
    this.backlog = backlog;
    this.iface = iface;
    this.host =
        iface.isEmpty()
            ? new InetSocketAddress(anyAddress(), actualPort)
            : InetSocketAddress.createUnresolved(iface, actualPort);
  }

  /** {@return the port number passed to {@code listenTCP} (0 if any port was asked for)} */
  public int requestedPort() {
    return requestedPort;
  }

  /** {@return the factory passed to {@code listenTCP}} */
  public Factory factory() {
    return factory;
  }

  /**
   * {@return the backlog passed to {@code listenTCP}, or {@link
   * dev.braid.net.ReactorTcp#DEFAULT_BACKLOG}}
   */
  public int backlog() {
    return backlog;
  }

  /** {@return the interface passed to {@code listenTCP}, or "" for all} */
  public String iface() {
    return iface;
  }

  /**
   * Returns the address listened on: the interface (0.0.0.0 for all, unresolved otherwise) and the
   * port, a made-up one when 0 was asked for.
   */
  @Override
  public InetSocketAddress getHost() {
    return host;
  }

  /**
   * Stops listening, fires the returned Deferred at once and stops the factory if this was its last
   * user. Idempotent.
   */
  @Override
  public Deferred<Void> stopListening() {
    if (listening) {
      listening = false;
      reactor.factoryStopped(factory);
    }
    return Deferred.succeed(null);
  }

  /** {@return whether the port is listening: true until {@link #stopListening()}} */
  public boolean isListening() {
    return listening;
  }

  /**
   * Accepts a connection from 10.0.0.2 with a new port number; see {@link
   * #accept(InetSocketAddress)}.
   *
   * @return the server side's transport
   */
  public StringTransport accept() {
    return accept(new InetSocketAddress(StringTransport.DEFAULT_PEER.getAddress(), nextPeerPort++));
  }

  /**
   * Accepts a connection from {@code peer}: the factory builds a protocol for it, which is
   * connected to a new {@link StringTransport#withDisconnection()} transport. If the factory
   * refuses (returns null), the returned transport is already disconnecting and has no protocol.
   *
   * @param peer the client's address
   * @return the server side's transport; its {@link StringTransport#protocol()} is the protocol
   * @throws IllegalStateException if the port is not listening
   */
  public StringTransport accept(InetSocketAddress peer) {
    Objects.requireNonNull(peer, "peer");
    if (!listening) {
      throw new IllegalStateException("port " + host + " is not listening");
    }
    StringTransport transport = StringTransport.withDisconnection().withAddresses(host, peer);
    Protocol protocol = factory.buildProtocol(peer);
    accepted.add(transport);
    if (protocol == null) {
      transport.loseConnection();
      return transport;
    }
    reactor.connectionMade(transport);
    transport.connect(protocol);
    return transport;
  }

  /**
   * {@return a snapshot of the transports of the connections accepted so far, refused ones
   * included, oldest first}
   */
  public List<StringTransport> accepted() {
    return List.copyOf(accepted);
  }

  @Override
  public String toString() {
    return "MemoryPort{" + host + (listening ? "" : ", stopped") + ", factory=" + factory + "}";
  }

  private static InetAddress anyAddress() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
