package dev.braid.net;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * TCP servers and clients: Twisted's {@code IReactorTCP}.
 *
 * <p>Threading: reactor thread only. Errors: failing to bind throws at once (with the address in
 * the message); a failed connection attempt arrives at the factory's {@code clientConnectionFailed}
 * as a {@link ConnectError}.
 */
public interface ReactorTcp {
  /** The backlog that means "the system's maximum" ({@code somaxconn}). */
  int DEFAULT_BACKLOG = -1;

  /** The default connect timeout, 30 seconds as in Twisted. */
  Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Listens on {@code port} of every interface, with the system's maximum backlog.
   *
   * @param port the port, or 0 for any free port (see {@link ListeningPort#getHost()})
   * @param factory builds a protocol per accepted connection
   * @return the listening port
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  default ListeningPort listenTCP(int port, Factory factory) {
    return listenTCP(port, factory, DEFAULT_BACKLOG, "");
  }

  /**
   * Listens on {@code port} of one interface.
   *
   * @param port the port, or 0 for any free port
   * @param factory builds a protocol per accepted connection
   * @param backlog the accept queue length, or {@link #DEFAULT_BACKLOG} for the system's maximum
   * @param iface the interface's address or host name, or "" for all interfaces
   * @return the listening port
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  ListeningPort listenTCP(int port, Factory factory, int backlog, String iface);

  /**
   * Connects to {@code host:port} with the default timeout.
   *
   * @param host a host name or address; resolved without blocking the reactor thread
   * @param port the port
   * @param factory told how the attempt went; builds the protocol once connected
   * @return the connector
   */
  default Connector connectTCP(String host, int port, ClientFactory factory) {
    return connectTCP(host, port, factory, DEFAULT_CONNECT_TIMEOUT, null);
  }

  /**
   * Connects to {@code host:port}.
   *
   * @param host a host name or address; resolved without blocking the reactor thread
   * @param port the port
   * @param factory told how the attempt went; builds the protocol once connected
   * @param timeout how long the attempt may take, name resolution included; null for no limit
   * @param bindAddress the local address to connect from, or null for any
   * @return the connector
   */
  Connector connectTCP(
      String host,
      int port,
      ClientFactory factory,
      Duration timeout,
      InetSocketAddress bindAddress);
}
