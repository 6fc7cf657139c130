package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ReactorTcp;
import dev.braid.test.RunningReactor;
import dev.braid.tls.TlsException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bad input on a real TLS port, over loopback: garbage instead of a ClientHello, a plain HTTP
 * request, a truncated record, a record declaring 16 KiB that stops, a header longer than TLS
 * allows. Each connection is closed with its reason reported (to the factory's handler: logged by
 * default), and a good client is served between and after them. Prints how long each took to be
 * closed.
 */
@Tag("loopback")
class TlsBadInputTest {
  private final RunningReactor running = RunningReactor.start();
  private final List<TlsException> failures = new ArrayList<>();
  private final List<CompletableFuture<TlsException>> waiting = new ArrayList<>();

  @AfterEach
  void stop() {
    running.close();
  }

  private synchronized void failed(TlsException failure) {
    failures.add(failure);
    if (!waiting.isEmpty()) {
      waiting.remove(0).complete(failure);
    }
  }

  private synchronized CompletableFuture<TlsException> nextFailure() {
    CompletableFuture<TlsException> next = new CompletableFuture<>();
    waiting.add(next);
    return next;
  }

  private int listen() {
    return running.call(
        () ->
            running
                .reactor()
                .listenTCP(
                    0,
                    Tls.serverFactory(
                            running.reactor(),
                            Certs.server().withHandshakeTimeout(Duration.ofSeconds(2)),
                            address -> Peer.greeting("a poem\n", true))
                        .onHandshakeFailure(this::failed),
                    ReactorTcp.DEFAULT_BACKLOG,
                    "127.0.0.1")
                .getHost()
                .getPort());
  }

  /** Sends {@code bytes} (then half-closes if asked) and waits for the server to close. */
  private static long closedAfterMillis(int port, byte[] bytes, boolean halfClose)
      throws IOException {
    long start = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      try {
        while (in.read() >= 0) {
          // an alert, then the end
        }
      } catch (java.net.SocketException reset) {
        // a reset (the deadline aborts) ends it too
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void aGoodClientIsServed(int port) {
    Peer client = new Peer();
    running.run(
        () ->
            running
                .reactor()
                .connectTCP(
                    "127.0.0.1",
                    port,
                    Tls.clientFactory(
                        running.reactor(),
                        Certs.client(),
                        new dev.braid.net.ClientFactory() {
                          @Override
                          public dev.braid.net.Protocol buildProtocol(
                              java.net.InetSocketAddress address) {
                            return client;
                          }
                        })));
    ConnectionEnd end = running.await(() -> client.ended);
    assertThat(end).isInstanceOf(ConnectionDone.class);
    assertThat(client.text()).isEqualTo("a poem\n");
  }

  @Test
  void eachBadClientIsClosedWithItsReasonAndTheServerGoesOn() throws Exception {
    int port = listen();
    record Case(String name, byte[] bytes, boolean halfClose, Kind... kinds) {}
    List<Case> cases =
        List.of(
            new Case(
                "garbage instead of a ClientHello",
                "\u0001\u0002\u0003 not a handshake at all".getBytes(StandardCharsets.US_ASCII),
                false,
                Kind.NOT_TLS),
            new Case(
                "a plain HTTP request",
                "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                false,
                Kind.NOT_TLS),
            new Case(
                "a truncated record, then the end of the stream",
                new byte[] {0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00},
                true,
                Kind.CLOSED_DURING_HANDSHAKE),
            new Case(
                "a record declaring 16 KiB that stops after 100 bytes",
                concat(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00}, new byte[100]),
                false,
                Kind.HANDSHAKE_TIMEOUT),
            new Case(
                "a header longer than TLS allows",
                new byte[] {0x16, 0x03, 0x03, (byte) 0xFF, (byte) 0xFF},
                false,
                Kind.HANDSHAKE_FAILED,
                Kind.NOT_TLS));
    aGoodClientIsServed(port);
    List<String> figures = new ArrayList<>();
    for (Case c : cases) {
      CompletableFuture<TlsException> reported = nextFailure();
      long millis = closedAfterMillis(port, c.bytes(), c.halfClose());
      TlsException failure = RunningReactor.get(reported);
      assertThat(failure.kind()).as(c.name()).isIn((Object[]) c.kinds());
      assertThat(failure.getMessage()).startsWith("TLS handshake with 127.0.0.1:");
      figures.add(
          String.format(
              Locale.ROOT, "%s: %s, closed after %d ms", c.name(), failure.kind(), millis));
      aGoodClientIsServed(port);
    }
    assertThat(failures).hasSize(cases.size());
    System.out.println("TlsBadInputTest: " + String.join("; ", figures));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
