package dev.braid.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's HTTP server on a loopback ephemeral port, for tests. {@link #close()} stops it and its
 * handler threads (interrupting handlers that still wait) and waits for them.
 */
final class TestServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();

  private TestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
  }

  static TestServer start() throws IOException {
    TestServer s = new TestServer();
    s.server.start();
    return s;
  }

  /** Serves {@code path} (and everything under it) with {@code handler}. */
  TestServer on(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
          }
        });
    return this;
  }

  /** Serves {@code path} with a fixed status, content type and UTF-8 body. */
  TestServer text(String path, int status, String contentType, String body) {
    return on(
        path,
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", contentType);
          send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
        });
  }

  static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    try {
      if (!handlers.awaitTermination(RunningReactor.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("the test server's handlers did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
