package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.poetry.Poems;
import dev.braid.poetry.testing.LeftoverThreads;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown never turns a cut poem into a whole one, seen through the command line: the servers run
 * in processes of their own and get a real SIGTERM in the middle of a poem; {@code poetry get}, a
 * process too, must fail with exit status 1, and a proxy must not cache the fragment. Before the
 * fix, the client received the first N bytes, printed them and exited 0, and the proxy served the
 * fragment as the poem from then on.
 *
 * <p>Each step waits for a line the servers log (the slow server logs each piece it sends at debug
 * level, turned on for that one logger), never for a fixed time.
 */
@Tag("loopback")
@ExtendWith(LeftoverThreads.class)
class ShutdownCommandTest {
  /** Makes the slow server log "sending N bytes of poetry" for each piece. */
  static final List<String> LOG_PIECES =
      List.of("-Dorg.slf4j.simpleLogger.log.dev.braid.poetry.PoetryServerProtocol=debug");

  static final String PIECE_SENT = "bytes of poetry to";

  @TempDir Path dir;
  private String poemFile;
  private String poem;

  @BeforeEach
  void writeThePoem() throws IOException {
    poem = Poems.named("single_flight").text();
    poemFile = Files.writeString(dir.resolve("poem.txt"), poem).toString();
  }

  @Test
  void aPoemCutByShutdownIsResetAndGetExitsOne() throws Exception {
    // 901 bytes, 10 every 0.2 s: 18 s to send, far more than the 0.5 s grace.
    try (PoetryProcess server =
            PoetryProcess.start(
                LOG_PIECES,
                "serve",
                "--delay",
                "0.2",
                "--num-bytes",
                "10",
                "--shutdown-grace",
                "0.5",
                poemFile);
        PoetryProcess get = PoetryProcess.start("get", Integer.toString(server.port()))) {
      server.awaitErr(PIECE_SENT, 2); // the client has been sent 20 bytes at least
      server.terminate();
      assertThat(get.awaitExit()).as("get's exit status; stderr: %s", get.err()).isEqualTo(1);
      assertThat(get.out()).as("no fragment printed as a poem").isEmpty();
      assertThat(get.err()).contains("connection lost after").contains("reset");
      server.awaitExit();
      assertThat(server.err())
          .contains(
              "Shutting down: no longer accepting connections; the connection in flight gets up"
                  + " to 0.5 seconds to finish.")
          .contains("Shutting down: resetting the connection still in flight after 0.5 seconds.");
    }
  }

  @Test
  void aPoemInFlightFinishesWithinTheGraceWhileNewClientsGetNothing() throws Exception {
    // 901 bytes, 100 every 0.05 s: about half a second, well within a 30 s grace.
    try (PoetryProcess server =
            PoetryProcess.start(
                LOG_PIECES,
                "serve",
                "--delay",
                "0.05",
                "--num-bytes",
                "100",
                "--shutdown-grace",
                "30",
                poemFile);
        PoetryProcess get = PoetryProcess.start("get", Integer.toString(server.port()))) {
      int port = server.port();
      server.awaitErr(PIECE_SENT);
      server.terminate();
      server.awaitErr("Shutting down");
      assertThat(latecomerReceives(port)).as("a client arriving after shutdown began").isEmpty();
      assertThat(get.awaitExit()).as("get's exit status; stderr: %s", get.err()).isZero();
      assertThat(get.out().strip()).isEqualTo(poem.strip());
      server.awaitExit();
      assertThat(server.err())
          .contains("the connection in flight gets up to 30 seconds to finish")
          .doesNotContain("resetting");
    }
  }

  @Test
  void aProxyDoesNotCacheAPoemItsUpstreamCutAtShutdown() throws Exception {
    try (PoetryProcess upstream =
            PoetryProcess.start(
                LOG_PIECES,
                "serve",
                "--delay",
                "0.2",
                "--num-bytes",
                "10",
                "--shutdown-grace",
                "0",
                poemFile);
        PoetryProcess proxy = PoetryProcess.start("proxy", Integer.toString(upstream.port()));
        PoetryProcess get = PoetryProcess.start("get", Integer.toString(proxy.port()))) {
      upstream.awaitErr(PIECE_SENT, 2);
      upstream.terminate();
      assertThat(get.awaitExit()).as("get's exit status; stderr: %s", get.err()).isEqualTo(1);
      assertThat(get.out()).isEmpty();
      upstream.awaitExit();
      proxy.awaitErr("Fetching the poem failed");

      // Nothing was cached: the next client makes the proxy fetch again, and fails with it.
      try (PoetryProcess again = PoetryProcess.start("get", Integer.toString(proxy.port()))) {
        assertThat(again.awaitExit()).as("stderr: %s", again.err()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
      }
      proxy.awaitErr("Fetching poem from server.", 2);
      assertThat(proxy.err()).doesNotContain("Using cached poem");
      proxy.terminate();
      proxy.awaitExit();
    }
  }

  @Test
  void aProxyThatShutsDownResetsItsWaitingClientsAndSaysItIsShuttingDown() throws Exception {
    // The upstream sends its first piece and then nothing for a minute: the client waits.
    try (PoetryProcess upstream =
            PoetryProcess.start("serve", "--delay", "60", "--shutdown-grace", "0", poemFile);
        PoetryProcess proxy =
            PoetryProcess.start(
                "proxy", "--shutdown-grace", "0.3", Integer.toString(upstream.port()));
        PoetryProcess get = PoetryProcess.start("get", Integer.toString(proxy.port()))) {
      proxy.awaitErr("Fetching poem from server.");
      proxy.terminate();
      assertThat(get.awaitExit()).as("get's exit status; stderr: %s", get.err()).isEqualTo(1);
      assertThat(get.out()).as("not an empty poem").isEmpty();
      assertThat(get.err()).contains("reset");
      proxy.awaitExit();
      assertThat(proxy.err())
          .contains(
              "Shutting down: no longer accepting connections; the connection in flight gets up"
                  + " to 0.3 seconds to finish.")
          .contains(
              "Shutting down: resetting the client waiting for the poem and cancelling the fetch"
                  + " from the upstream server.")
          .doesNotContain("Every client left");
      upstream.terminate();
      upstream.awaitExit();
    }
  }

  /**
   * Connects to a server that has begun to shut down and reads what it sends: nothing, whether the
   * port is already closed (refused), or the connection was accepted just before and then reset.
   */
  private static String latecomerReceives(int port) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      InputStream in = s.getInputStream();
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (SocketException reset) {
        return "";
      }
    } catch (ConnectException refused) {
      return "";
    }
  }
}
