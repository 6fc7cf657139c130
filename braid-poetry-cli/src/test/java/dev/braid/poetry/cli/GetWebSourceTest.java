package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.poetry.testing.LoopbackPorts;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code poetry get} with web pages as poem sources, beside poetry servers. */
@Tag("loopback")
class GetWebSourceTest {
  static final String WEB_POEM = Poems.named("deferred").text();
  static final String TCP_POEM = Poems.named("the_reactor").text();

  HttpServer web;
  RunningReactor servers;
  String base;
  int poetryPort;
  int transformPort;

  @BeforeEach
  void start() throws IOException {
    web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext(
        "/poem.txt",
        exchange -> {
          byte[] body = WEB_POEM.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    web.createContext(
        "/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "/poem.txt");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    web.start();
    base = "http://127.0.0.1:" + web.getAddress().getPort();
    servers = RunningReactor.start();
    poetryPort =
        servers.call(
            () ->
                servers
                    .reactor()
                    .listenTCP(
                        0,
                        PoetryServerFactory.create(
                            PoetryService.of(TCP_POEM, Pacing.atOnce()), servers.reactor()),
                        ReactorTcp.DEFAULT_BACKLOG,
                        "127.0.0.1")
                    .getHost()
                    .getPort());
    transformPort =
        servers.call(
            () ->
                servers
                    .reactor()
                    .listenTCP(
                        0,
                        TransformServerFactory.create(TransformService.standard()),
                        ReactorTcp.DEFAULT_BACKLOG,
                        "127.0.0.1")
                    .getHost()
                    .getPort());
  }

  @AfterEach
  void stop() {
    servers.close();
    web.stop(0);
  }

  @Test
  void aWebPageAndAPoetryServerPrintInArgumentOrder() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", base + "/poem.txt", String.valueOf(poetryPort))).isZero();
    assertThat(t.out.text()).isEqualTo(WEB_POEM + "\n" + TCP_POEM);
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void redirectsAreFollowed() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", base + "/moved")).isZero();
    assertThat(t.out.text()).isEqualTo(WEB_POEM);
  }

  @Test
  void aWebPoemIsTransformedLikeAnyOther() {
    TestEnv t = TestEnv.redirected();
    int status =
        t.run(
            "get",
            "--xform",
            "cummingsify",
            "--xform-server",
            String.valueOf(transformPort),
            base + "/poem.txt");
    assertThat(status).isZero();
    assertThat(t.out.text()).isEqualTo(WEB_POEM.toLowerCase(Locale.ROOT));
  }

  @Test
  void aMissingPageIsReportedWithItsStatusWhileTheOthersStillPrint() {
    TestEnv t = TestEnv.redirected();
    String missing = base + "/no-such-poem.txt";
    assertThat(t.run("get", missing, String.valueOf(poetryPort))).isEqualTo(Cli.FAILED);
    assertThat(t.out.text()).isEqualTo(TCP_POEM);
    assertThat(t.err.text()).isEqualTo(missing + ": 404 Not Found\n");
  }

  @Test
  void aRefusedWebConnectionNamesTheUrl() {
    String url = "http://127.0.0.1:" + LoopbackPorts.unusedPort() + "/poem.txt";
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", url)).isEqualTo(Cli.FAILED);
    assertThat(t.err.text()).startsWith(url + ": ").contains("refused").doesNotContain("\tat ");
    assertThat(t.err.text().lines()).hasSize(1);
  }

  @Test
  void aMalformedUrlIsAOneLineUsageError() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("get", "http://exa mple.org/poem")).isEqualTo(Cli.USAGE);
    assertThat(t.err.text().lines()).hasSize(1);
    assertThat(t.err.text()).contains("http://exa mple.org/poem").contains("poetry get --help");
    assertThat(t.out.text()).isEmpty();
  }

  @Test
  void aWebPageLargerThanMaxPoemSizeFailsInOneLineNamingTheLimit() {
    TestEnv t = TestEnv.redirected();
    String url = base + "/poem.txt";
    assertThat(t.run("get", "--max-poem-size", "100", url, String.valueOf(poetryPort)))
        .isEqualTo(Cli.FAILED);
    assertThat(t.err.text())
        .isEqualTo(
            url
                + ": the poem is larger than --max-poem-size (100 bytes); the download was"
                + " stopped\n127.0.0.1:"
                + poetryPort
                + ": the poem is larger than --max-poem-size (100 bytes); the download was"
                + " stopped\n");
    TestEnv exact = TestEnv.redirected();
    int size = WEB_POEM.getBytes(StandardCharsets.UTF_8).length;
    assertThat(exact.run("get", "--max-poem-size", String.valueOf(size), url)).isZero();
    assertThat(exact.out.text()).isEqualTo(WEB_POEM);
  }
}
