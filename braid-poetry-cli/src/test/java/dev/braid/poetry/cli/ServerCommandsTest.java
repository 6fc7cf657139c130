package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.poetry.Pacing;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.TransformProxy;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server commands run in-process on loopback, used by a client, then stopped. */
@Tag("loopback")
class ServerCommandsTest {
  static final Poems.Poem POEM = Poems.named("deferred");

  @TempDir Path dir;

  static int port(String banner, String regex) {
    Matcher m = Pattern.compile(regex).matcher(banner);
    assertThat(m.matches()).as("banner '%s' matches %s", banner, regex).isTrue();
    return Integer.parseInt(m.group(1));
  }

  Path poemFile() throws IOException {
    return Files.write(dir.resolve("deferred.txt"), POEM.bytes());
  }

  @Test
  void serveSaysWhereItServesAndServesTheFile() throws IOException {
    Path file = poemFile();
    TestEnv t = TestEnv.redirected();
    TestEnv.Server server = t.start("serve", file.toString());
    int port =
        port(
            server.banner(),
            "Serving "
                + Pattern.quote(file.toString())
                + " on 127\\.0\\.0\\.1:(\\d+) \\("
                + Servers.reactors(Runtime.getRuntime().availableProcessors())
                + "\\)\\.");
    assertThat(port).isPositive();
    try (RunningReactor client = RunningReactor.start()) {
      assertThat(client.await(() -> PoetryClient.fetch(client.reactor(), "127.0.0.1", port, null)))
          .isEqualTo(POEM.bytes());
    }
    assertThat(server.stop()).isZero();
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void serveOnFourReactorsSaysSoAndEveryClientGetsThePoem() throws IOException {
    Path file = poemFile();
    TestEnv t = TestEnv.redirected();
    TestEnv.Server server = t.start("serve", "--reactors", "4", file.toString());
    int port = port(server.banner(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) \\(4 reactors\\)\\.");
    try (RunningReactor client = RunningReactor.start()) {
      for (int i = 0; i < 40; i++) {
        assertThat(
                client.await(() -> PoetryClient.fetch(client.reactor(), "127.0.0.1", port, null)))
            .isEqualTo(POEM.bytes());
      }
    }
    assertThat(t.reactors).hasSize(4);
    assertThat(server.stop()).isZero();
    assertThat(t.reactors).noneMatch(SelectorReactor::isRunning);
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void serveOnOneReactorSaysSo() throws IOException {
    TestEnv t = TestEnv.redirected();
    TestEnv.Server server = t.start("serve", "--reactors", "1", poemFile().toString());
    assertThat(server.banner()).matches("Serving .* on 127\\.0\\.0\\.1:\\d+ \\(1 reactor\\)\\.");
    assertThat(t.reactors).hasSize(1);
    assertThat(server.stop()).isZero();
  }

  @Test
  void serveSlowlyWithDelayAndNumBytes() throws IOException {
    Path file = poemFile();
    TestEnv t = TestEnv.redirected();
    TestEnv.Server server =
        t.start(
            "serve",
            "--delay",
            "0.01",
            "--num-bytes",
            "50",
            "--iface",
            "localhost",
            file.toString());
    int port = port(server.banner(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) .*");
    try (RunningReactor client = RunningReactor.start()) {
      java.util.List<Long> progress = new java.util.ArrayList<>();
      assertThat(
              client.await(
                  () -> PoetryClient.fetch(client.reactor(), "127.0.0.1", port, progress::add)))
          .isEqualTo(POEM.bytes());
      assertThat(progress.size()).isGreaterThanOrEqualTo(POEM.bytes().length / 50);
    }
    assertThat(server.stop()).isZero();
  }

  @Test
  void aPortInUseIsOneLineAndExitOne() throws IOException {
    Path file = poemFile();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      TestEnv t = TestEnv.redirected();
      int status = t.run("serve", "--port", "" + taken.getLocalPort(), file.toString());
      assertThat(status).isEqualTo(1);
      assertThat(t.err.text())
          .startsWith("poetry serve: cannot start: ")
          .contains(String.valueOf(taken.getLocalPort()));
      assertThat(t.err.text().strip()).doesNotContain("\n");
      assertThat(t.out.text()).isEmpty();
    }
  }

  @Test
  void aMissingFileIsOneLineAndExitOne() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("serve", dir.resolve("nope.txt").toString())).isEqualTo(1);
    assertThat(t.err.text())
        .isEqualTo("poetry serve: cannot read " + dir.resolve("nope.txt") + ": no such file\n");
  }

  @Test
  void transformServerAnswersTransforms() {
    TestEnv t = TestEnv.redirected();
    TestEnv.Server server = t.start("transform-server");
    int port =
        port(
            server.banner(),
            "Transforming poems on 127\\.0\\.0\\.1:(\\d+) \\(cummingsify, shout, reverse, fail; \\d+ reactors?\\)\\.");
    try (RunningReactor client = RunningReactor.start()) {
      assertThat(
              client.await(
                  () ->
                      TransformProxy.create(client.reactor(), "127.0.0.1", port)
                          .xform("cummingsify", "ÉTÉ")))
          .isEqualTo("été");
    }
    assertThat(server.stop()).isZero();
  }

  @Test
  void proxyFetchesOnceAndServesFromItsCache() {
    assertThat(upstreamConnectionsForThreeClients("1h", "cache TTL 1 hour")).isEqualTo(1);
  }

  @Test
  void proxyWithATtlOfZeroCachesNothing() {
    assertThat(upstreamConnectionsForThreeClients("0", "no caching"))
        .as("one fetch per client")
        .isEqualTo(3);
  }

  /**
   * Runs {@code poetry proxy --ttl TTL} in front of a poetry server, checks that its banner says
   * {@code cache}, fetches the poem through it three times and stops it; {@return how many
   * connections the poetry server had}
   */
  private static long upstreamConnectionsForThreeClients(String ttl, String cache) {
    try (RunningReactor upstream = RunningReactor.start()) {
      PoetryServerFactory served =
          PoetryServerFactory.create(
              PoetryService.of(POEM.bytes(), Pacing.atOnce()), upstream.reactor());
      int upstreamPort = upstream.listen(served);
      TestEnv t = TestEnv.redirected();
      TestEnv.Server server = t.start("proxy", "--ttl", ttl, "" + upstreamPort);
      int port =
          port(
              server.banner(),
              "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) for 127\\.0\\.0\\.1:"
                  + upstreamPort
                  + " \\("
                  + cache
                  + "; \\d+ reactors?\\)\\.");
      try (RunningReactor client = RunningReactor.start()) {
        for (int i = 0; i < 3; i++) {
          assertThat(
                  client.await(() -> PoetryClient.fetch(client.reactor(), "127.0.0.1", port, null)))
              .isEqualTo(POEM.bytes());
        }
      }
      long connections = upstream.call(served::connectionCount);
      assertThat(server.stop()).isZero();
      return connections;
    }
  }

  @Test
  void transformProxyForwardsToATransformServer() {
    TestEnv t = TestEnv.redirected();
    TestEnv.Server real = t.start("transform-server");
    int realPort = port(real.banner(), "Transforming poems on 127\\.0\\.0\\.1:(\\d+) .*");
    TestEnv t2 = TestEnv.redirected();
    TestEnv.Server proxy = t2.start("transform-proxy", "" + realPort);
    int port =
        port(
            proxy.banner(),
            "Proxying transforms on 127\\.0\\.0\\.1:(\\d+) for 127\\.0\\.0\\.1:"
                + realPort
                + " \\(\\d+ reactors?\\)\\.");
    try (RunningReactor client = RunningReactor.start()) {
      assertThat(
              client.await(
                  () ->
                      TransformProxy.create(client.reactor(), "127.0.0.1", port)
                          .xform("reverse", "abc")))
          .isEqualTo("cba");
    }
    assertThat(proxy.stop()).isZero();
    assertThat(real.stop()).isZero();
  }
}
