package dev.braid.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port whose accept queue is full, so that a new connection attempt to it stays in
 * progress until it times out: a connect timeout to test without an unroutable network.
 *
 * <pre>{@code
 * try (FullBacklogPort full = FullBacklogPort.open()) {
 *   reactor.connectTCP("127.0.0.1", full.port(), factory, Duration.ofMillis(200), null);
 *   // ... the factory's clientConnectionFailed gets a ConnectTimeoutError
 * }
 * }</pre>
 *
 * <p>How: a server socket with a backlog of 1 that never accepts, and blocking connects to it until
 * one times out (Linux then drops the SYNs of further attempts). Opening it costs one short
 * blocking connect that times out (250 ms); do it off the reactor thread (before the reactor runs,
 * on the test's thread, or in {@code deferToThread}). Linux behaves so; another system may accept
 * more connections than the backlog says, and then {@link #open()} fails rather than hand back a
 * port that is not full.
 *
 * <p>Threading: open and close it from one thread; {@link #port()} from any.
 */
public final class FullBacklogPort implements AutoCloseable {
  private static final int MAX_FILLERS = 64;
  private static final int FILL_TIMEOUT_MILLIS = 250;

  private final ServerSocket server;
  private final List<Socket> fillers = new ArrayList<>();

  private FullBacklogPort() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  /**
   * Opens a loopback port and fills its accept queue.
   *
   * @return the full port; close it to release its sockets
   * @throws IOException if the port cannot be opened, or its queue did not fill up after 64
   *     connections
   */
  public static FullBacklogPort open() throws IOException {
    FullBacklogPort full = new FullBacklogPort();
    try {
      full.fill();
      return full;
    } catch (IOException | RuntimeException e) {
      full.close();
      throw e;
    }
  }

  private void fill() throws IOException {
    for (int i = 0; i < MAX_FILLERS; i++) {
      Socket filler = new Socket();
      fillers.add(filler);
      try {
        filler.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), FILL_TIMEOUT_MILLIS);
      } catch (SocketTimeoutException full) {
        return;
      }
    }
    throw new IOException("could not fill the accept queue of port " + port());
  }

  /** {@return the port number, on the loopback address} */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Closes the connections that fill the queue, then the port.
   *
   * @throws IOException if a socket could not be closed
   */
  @Override
  public void close() throws IOException {
    for (Socket filler : fillers) {
      filler.close();
    }
    server.close();
  }

  @Override
  public String toString() {
    return "FullBacklogPort{" + server.getInetAddress().getHostAddress() + ":" + port() + "}";
  }
}
