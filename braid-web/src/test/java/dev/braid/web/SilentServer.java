package dev.braid.web;

import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback server that reads one request and never answers, and notices when the client goes away
 * (its read returns end of stream or fails): for timeouts and cancellation before the response.
 * Plain sockets, since the JDK's HTTP server cannot tell when a waiting client left.
 */
final class SilentServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread thread;
  private volatile Socket client;
  final CountDownLatch requestReceived = new CountDownLatch(1);
  final CountDownLatch clientGone = new CountDownLatch(1);

  private final byte[] reply;

  SilentServer() throws IOException {
    this(null);
  }

  /** A server that answers the request with {@code reply}, exactly, and then closes. */
  static SilentServer answering(byte[] reply) throws IOException {
    return new SilentServer(reply);
  }

  private SilentServer(byte[] reply) throws IOException {
    this.reply = reply;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "silent-server");
    thread.setDaemon(true);
    thread.start();
  }

  private void serve() {
    try (Socket s = server.accept()) {
      client = s;
      InputStream in = s.getInputStream();
      int matched = 0; // of "\r\n\r\n"
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          clientGone.countDown();
          return;
        }
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      requestReceived.countDown();
      if (reply != null) {
        s.getOutputStream().write(reply);
        s.getOutputStream().flush();
        return;
      }
      while (in.read() >= 0) {
        // whatever the client still sends
      }
      clientGone.countDown();
    } catch (IOException e) {
      clientGone.countDown(); // reset by the client, or closed by close()
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  static boolean await(CountDownLatch latch) throws InterruptedException {
    return latch.await(RunningReactor.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Socket s = client;
    if (s != null) {
      s.close();
    }
    try {
      thread.join(RunningReactor.TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (thread.isAlive()) {
      throw new AssertionError("the silent server's thread did not stop");
    }
  }
}
