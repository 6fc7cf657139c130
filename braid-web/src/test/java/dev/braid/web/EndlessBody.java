package dev.braid.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;

/**
 * A handler that sends a 200 and then a chunked body that never ends, until a write fails because
 * the client went away: so a test can see that aborting a response really closed its connection.
 */
final class EndlessBody implements HttpHandler {
  final CountDownLatch firstChunkSent = new CountDownLatch(1);
  final CountDownLatch clientGone = new CountDownLatch(1);

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[16 * 1024];
    OutputStream out = exchange.getResponseBody();
    try {
      out.write(chunk);
      out.flush();
      firstChunkSent.countDown();
      while (!Thread.currentThread().isInterrupted()) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException gone) {
      clientGone.countDown();
    }
  }
}
