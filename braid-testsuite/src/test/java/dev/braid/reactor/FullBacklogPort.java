package dev.braid.reactor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port whose accept queue is full, so that a new connection attempt stays in progress
 * (Linux drops the SYN) until it times out: a connect timeout that needs no unroutable network.
 * Filling it costs one short blocking connect that times out.
 */
final class FullBacklogPort implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> fillers = new ArrayList<>();

  FullBacklogPort() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    try {
      for (int i = 0; i < 64; i++) {
        Socket filler = new Socket();
        fillers.add(filler);
        try {
          filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 250);
        } catch (SocketTimeoutException full) {
          return;
        }
      }
      throw new IOException("could not fill the accept queue of port " + port());
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    for (Socket filler : fillers) {
      filler.close();
    }
    server.close();
  }
}
