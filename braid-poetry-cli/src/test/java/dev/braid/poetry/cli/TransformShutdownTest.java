package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The netstring servers drain at shutdown as the poetry servers do: a request in flight gets the
 * grace to be answered, and a connection still open when it expires is reset. The servers run
 * in-process and are stopped as Ctrl-C stops them ({@code reactor.stop()}); the clients are
 * blocking sockets, so a reset shows as an exception.
 */
@Tag("loopback")
@ExtendWith(LeftoverThreads.class)
class TransformShutdownTest {
  static final byte[] REQUEST = "11:shout.hello,".getBytes(StandardCharsets.US_ASCII);

  private static int port(TestEnv.Server server) {
    return ServerCommandsTest.port(server.banner(), "\\S+ \\S+ on 127\\.0\\.0\\.1:(\\d+)[ .].*");
  }

  /**
   * Stops the server's reactor as Ctrl-C does and returns once its BEFORE shutdown triggers (the
   * drain among them) have run: calls handed to the reactor run in order.
   */
  private static void beginShutdown(TestEnv t) {
    SelectorReactor r = t.reactors.get(0);
    CompletableFuture<Void> began = new CompletableFuture<>();
    r.callFromThread(
        () -> {
          r.stop();
          r.callFromThread(() -> began.complete(null));
        });
    RunningReactor.get(began);
  }

  /** Waits for the server command to return, and returns its status. */
  private static int status(TestEnv.Server server) throws InterruptedException {
    int status = RunningReactor.get(server.status);
    server.thread.join(RunningReactor.TIMEOUT.toMillis());
    return status;
  }

  @Test
  void aRequestInFlightIsAnsweredWithinTheGrace() throws Exception {
    try (ServerSocket slow = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      TestEnv t = TestEnv.redirected();
      TestEnv.Server server =
          t.start(
              "transform-proxy", "--shutdown-grace", "30", Integer.toString(slow.getLocalPort()));
      int port = port(server);
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
        client.getOutputStream().write(REQUEST);
        slow.setSoTimeout(30_000);
        try (Socket forwarded = slow.accept()) {
          assertThat(forwarded.getInputStream().readNBytes(REQUEST.length)).isEqualTo(REQUEST);
          beginShutdown(t);
          forwarded.getOutputStream().write("5:HELLO,".getBytes(StandardCharsets.US_ASCII));
        }
        InputStream in = client.getInputStream();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
            .as("answered, then closed cleanly")
            .isEqualTo("5:HELLO,");
      }
      assertThat(status(server)).isZero();
    }
  }

  @Test
  void aForwardedRequestStillInFlightWhenTheGraceExpiresIsResetAndCancelled() throws Exception {
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      TestEnv t = TestEnv.redirected();
      TestEnv.Server server =
          t.start(
              "transform-proxy", "--shutdown-grace", "0.2", Integer.toString(hung.getLocalPort()));
      int port = port(server);
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
        client.getOutputStream().write(REQUEST);
        hung.setSoTimeout(30_000);
        try (Socket forwarded = hung.accept()) {
          InputStream upstreamIn = forwarded.getInputStream();
          assertThat(upstreamIn.readNBytes(REQUEST.length)).isEqualTo(REQUEST);
          SelectorReactor r = t.reactors.get(0);
          r.callFromThread(r::stop);
          InputStream in = client.getInputStream();
          assertThatThrownBy(in::readAllBytes)
              .as("the client is reset, not sent an empty reply")
              .isInstanceOf(SocketException.class)
              .hasMessageContaining("reset");
          assertThat(endOf(upstreamIn)).as("the forwarded request's connection is closed").isTrue();
        }
      }
      assertThat(status(server)).isZero();
    }
  }

  /** Reads to the end: true once the stream has ended, cleanly or by a reset. */
  private static boolean endOf(InputStream in) throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketException reset) {
      return true;
    }
  }
}
