package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.test.RunningReactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits users hit, through real {@code poetry} processes: each is stated where it bites, in
 * one line, and the servers' logs say when and why they refused someone, rate-limited.
 */
@Tag("loopback")
class LimitsProcessTest {
  @TempDir Path dir;

  /**
   * Sends {@code request} on a new connection and reads until the server closes it (cleanly or with
   * a reset); returns what arrived.
   */
  static byte[] exchange(int port, byte[] request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          got.write(buffer, 0, n);
        }
      } catch (SocketException reset) {
        // a reset ends it too
      }
      return got.toByteArray();
    }
  }

  static long count(String text, String part) {
    return text.lines().filter(line -> line.contains(part)).count();
  }

  @Test
  void runningOutOfMemoryIsOneLineNeverATrace() {
    byte[] poem = new byte[48 << 20];
    java.util.Arrays.fill(poem, (byte) 'a');
    try (RunningReactor servers = RunningReactor.start()) {
      int port =
          servers.call(
              () ->
                  servers
                      .reactor()
                      .listenTCP(
                          0,
                          PoetryServerFactory.create(
                              PoetryService.of(poem, Pacing.atOnce()), servers.reactor()),
                          ReactorTcp.DEFAULT_BACKLOG,
                          "127.0.0.1")
                      .getHost()
                      .getPort());
      try (Child get =
          Child.poetry(
              List.of("-Xmx24m", "-XX:+UseSerialGC"),
              "get",
              "--max-poem-size",
              "1G",
              String.valueOf(port))) {
        assertThat(get.waitFor()).isEqualTo(1);
        String err = get.errText();
        assertThat(err.lines()).as(err).hasSize(1);
        assertThat(err)
            .startsWith("127.0.0.1:" + port + ": out of memory after ")
            .contains("bytes of poetry (the JVM's heap is at most ")
            .endsWith(
                "; give Java more memory (POETRY_JAVA_OPTS=-Xmx2g) or lower --max-poem-size\n")
            .doesNotContain("\tat ")
            .doesNotContain("Exception");
        assertThat(get.outBytes()).isEmpty();
      }
    }
  }

  @Test
  void theTransformServerLogsARefusedRequestWithItsReasonRateLimited() throws IOException {
    try (Child server = Child.poetry("transform-server")) {
      int port =
          ServerCommandsTest.port(
              server.nextOutLine(), "Transforming poems on 127\\.0\\.0\\.1:(\\d+) .*");
      for (int i = 0; i < 20; i++) {
        assertThat(exchange(port, "100000:shout.".getBytes(StandardCharsets.US_ASCII))).isEmpty();
      }
      assertThat(exchange(port, "7:shout.a,".getBytes(StandardCharsets.US_ASCII)))
          .isEqualTo("1:A,".getBytes(StandardCharsets.US_ASCII));
      server.stop(); // so that everything it logged has been read
      String log = server.errText();
      assertThat(log)
          .containsPattern(
              "(?m)^\\d\\d:\\d\\d:\\d\\d INFO 127\\.0\\.0\\.1:\\d+: refused a request longer than"
                  + " the limit of 99,999 bytes \\(NAME\\.POEM, in UTF-8\\); closed without a"
                  + " reply$");
      assertThat(count(log, "refused")).as("rate-limited: %s", log).isEqualTo(1);
    }
  }

  @Test
  void aConnectionOverMaxConnectionsIsLoggedRateLimited() throws IOException {
    Path poem = Files.write(dir.resolve("poem.txt"), Poems.named("deferred").bytes());
    try (Child server =
        Child.poetry("serve", "--max-connections", "1", "--delay", "60", poem.toString())) {
      int port =
          ServerCommandsTest.port(server.nextOutLine(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) .*");
      try (Socket served = new Socket(InetAddress.getLoopbackAddress(), port)) {
        served.setSoTimeout(30_000);
        assertThat(served.getInputStream().read()).as("the first piece").isPositive();
        for (int i = 0; i < 5; i++) {
          assertThat(exchange(port, new byte[0])).as("refused without a byte").isEmpty();
        }
      }
      server.stop();
      String log = server.errText();
      assertThat(log)
          .containsPattern(
              "(?m)^\\d\\d:\\d\\d:\\d\\d INFO Refused a connection from 127\\.0\\.0\\.1:\\d+:"
                  + " already serving 1 client \\(--max-connections 1\\)$");
      assertThat(count(log, "Refused")).as("rate-limited: %s", log).isEqualTo(1);
    }
  }

  @Test
  void theProxysUpstreamTimeoutNamesTheServerAndTheSecondsInWords() throws IOException {
    // Accepted by the kernel, never answered: a hung upstream.
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int upstream = hung.getLocalPort();
      try (Child proxy =
          Child.poetry("proxy", "--upstream-timeout", "0.5", String.valueOf(upstream))) {
        int port =
            ServerCommandsTest.port(
                proxy.nextOutLine(), "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) .*");
        assertThat(exchange(port, new byte[0])).as("reset, no poem").isEmpty();
        proxy.stop();
        String log = proxy.errText();
        assertThat(log)
            .contains(
                "WARN Fetching the poem failed: the upstream server 127.0.0.1:"
                    + upstream
                    + " did not send the whole poem within 0.5 seconds (--upstream-timeout); gave"
                    + " up on it\n")
            .doesNotContain("Deferred timed out");
      }
    }
  }
}
