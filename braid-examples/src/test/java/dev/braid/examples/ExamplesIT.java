package dev.braid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.test.IssuedCertificate;
import dev.braid.test.RunningReactor;
import dev.braid.test.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example program, run as a reader runs it ({@code bin/example NAME ARGS...}, on the module
 * path, in a process of its own) against servers on loopback with free ports, its output checked.
 * The poetry and transform servers the clients talk to run in this JVM on a reactor of their own,
 * the web pages on the JDK's HTTP server; the examples that are servers are asked for their poem
 * with a plain socket and stopped with SIGTERM, as Ctrl-C would.
 *
 * <p>Run by Failsafe after {@code package}, which builds the jar and {@code target/lib} that {@code
 * bin/example} runs. Each run starts a JVM.
 */
@Tag("loopback")
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExamplesIT {
  static final String POEM = Poems.named("deferred").text();

  static RunningReactor servers;
  static int poetryPort;
  static int transformPort;
  static HttpServer http;
  static String web;

  @BeforeAll
  static void startTheServers() throws IOException {
    servers = RunningReactor.start();
    poetryPort =
        servers.call(
            () ->
                listen(
                    servers.reactor(),
                    PoetryServerFactory.create(
                        PoetryService.of(POEM, Pacing.atOnce()), servers.reactor())));
    transformPort =
        servers.call(
            () ->
                listen(
                    servers.reactor(), TransformServerFactory.create(TransformService.standard())));
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve("/page", "<HTML><BODY>The Fascination Of What's Difficult</BODY></HTML>");
    serve("/users", "[{\"name\":\"glyph\",\"poems\":3},{\"name\":\"exarkun\",\"poems\":5}]");
    http.start();
    web = "http://127.0.0.1:" + http.getAddress().getPort();
  }

  private static int listen(ReactorTcp reactor, dev.braid.net.Factory factory) {
    return reactor
        .listenTCP(0, factory, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
        .getHost()
        .getPort();
  }

  private static void serve(String path, String body) {
    http.createContext(
        path,
        exchange -> {
          try (exchange;
              OutputStream out = exchange.getResponseBody()) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            out.write(bytes);
          }
        });
  }

  @AfterAll
  static void stopTheServers() {
    if (http != null) {
      http.stop(0);
    }
    if (servers != null) {
      servers.close();
    }
  }

  /** A loopback port on which nothing listens (it was free a moment ago). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The poem a server sends to a client that connects and reads to the end. */
  private static String fetch(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        InputStream in = socket.getInputStream()) {
      socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Program.TIMEOUT_SECONDS));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The port in the first line of a server's standard output. */
  private static int bannerPort(Program server, Pattern banner) {
    String out = server.awaitOut(text -> banner.matcher(text).find());
    Matcher m = banner.matcher(out);
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static void assertSucceeded(Program program) {
    assertThat(program.status()).as("exit status of %s", program).isZero();
    assertThat(program.err()).as("standard error of %s", program).isEmpty();
  }

  // --- bin/example itself -------------------------------------------------------------------

  @Test
  void binExampleWithoutANameIsAUsageError() throws IOException {
    try (Program p = Program.runWithArguments()) {
      assertThat(p.status()).isEqualTo(2);
      assertThat(p.err()).startsWith("usage: bin/example NAME [ARGS...]").hasLineCount(1);
    }
  }

  @Test
  void binExampleWithAnUnknownNameSaysSoInOneLine() throws IOException {
    try (Program p = Program.run("tutorial.part99.Nothing")) {
      assertThat(p.status()).isEqualTo(2);
      assertThat(p.err())
          .isEqualTo(
              "example: no example named tutorial.part99.Nothing (the list:"
                  + " braid-examples/README.md)\n");
    }
  }

  // --- the README ---------------------------------------------------------------------------

  @Test
  void readmeDeferredChainPrintsTheTransformedLine() throws IOException {
    try (Program p = Program.run("readme.DeferredChain")) {
      assertSucceeded(p);
      assertThat(p.out()).isEqualTo("the fascination of what's difficult\n");
    }
  }

  @Test
  void readmePoemServerServesItsPoemUntilSigterm() throws IOException {
    try (Program server = Program.start("readme.PoemServer", "0")) {
      int port = bannerPort(server, Pattern.compile("Serving a poem on port (\\d+)\n"));
      assertThat(fetch(port)).isEqualTo(Poems.named("the_reactor").text());
      assertThat(fetch(port)).as("a second client").isEqualTo(Poems.named("the_reactor").text());
      server.terminate();
      assertThat(server.awaitExit()).as("exit status after SIGTERM").isEqualTo(143);
      assertThat(server.err()).isEmpty();
    }
  }

  @Test
  void readmeTlsPoemFetchesItsPoemOverTlsFromAPrivateCa(@TempDir Path dir) throws IOException {
    TestCa ca = TestCa.create();
    IssuedCertificate.PemFiles pem = ca.issue("localhost", "127.0.0.1").writePem(dir);
    Path caFile = ca.writeCertificatePem(dir.resolve("ca.pem"));
    try (Program p =
        Program.run(
            "readme.TlsPoem",
            pem.certificate().toString(),
            pem.privateKey().toString(),
            caFile.toString())) {
      assertThat(p.status()).as("exit status of %s", p).isZero();
      assertThat(p.out()).isEqualTo(Poems.named("the_reactor").text());
      assertThat(p.err()).isEmpty();
    }
  }

  @Test
  void readmeTlsPoemFailsWhenTheServerIsNotTrusted(@TempDir Path dir) throws IOException {
    IssuedCertificate.PemFiles pem = TestCa.create().issue("localhost").writePem(dir);
    Path otherCa = TestCa.create().writeCertificatePem(dir.resolve("other-ca.pem"));
    try (Program p =
        Program.run(
            "readme.TlsPoem",
            pem.certificate().toString(),
            pem.privateKey().toString(),
            otherCa.toString())) {
      assertThat(p.status()).as("exit status of %s", p).isEqualTo(1);
      assertThat(p.out()).isEmpty();
      assertThat(p.err()).contains("TlsConnectError").contains("not trusted");
    }
  }

  // --- "Asynchronous Programming with Twisted" ----------------------------------------------

  @Test
  void getPagePrintsThePageInLowerCase() throws IOException {
    try (Program p = Program.run("asynchronous.GetPage", web + "/page")) {
      assertSucceeded(p);
      assertThat(p.out())
          .isEqualTo("<html><body>the fascination of what's difficult</body></html>\n");
    }
  }

  @Test
  void getPageOfAMissingPageRunsTheErrback() throws IOException {
    try (Program p = Program.run("asynchronous.GetPage", web + "/missing")) {
      assertSucceeded(p);
      assertThat(p.out())
          .isEqualTo("An error has occurred: <404 Not Found: " + web + "/missing>\n");
    }
  }

  // --- "Introduction to Deferreds" ----------------------------------------------------------

  @Test
  void thePodLaunchesOnlyOnceTheDoorsAreOpen() throws IOException {
    try (Program p = Program.run("deferreds.PodBayDoors")) {
      assertSucceeded(p);
      assertThat(p.out())
          .isEqualTo(
              """
              Opening the pod bay doors...
              open() has returned; the doors are not open yet.
              The pod bay doors are open.
              The pod launches.
              """);
    }
  }

  @Test
  void eachTryCatchShapeEndsAsItsChainDoes() throws IOException {
    try (Program p = Program.run("deferreds.SyncToAsync")) {
      assertSucceeded(p);
      assertThat(p.out()).contains("  pprint: [Blake, Poe, Wilde]\n");
      List<String> ends = p.out().lines().filter(l -> l.startsWith("  -> ")).toList();
      assertThat(ends)
          .containsExactly(
              // addErrback(g): f's value, or g's
              "  -> result 1",
              "  -> result 0",
              // addCallbacks(h, g): h only when f succeeds, g only when it fails
              "  -> result 11",
              "  -> result 0",
              // addErrback(g).addCallback(h): h after g too
              "  -> result 11",
              "  -> result 10",
              // addCallback(h).addErrback(g): g for a failure of f (or of h)
              "  -> result 11",
              "  -> result 0",
              // addBoth(g): g's value either way
              "  -> result 0",
              "  -> result 0",
              // addFinally(g): the outcome as it came
              "  -> result 1",
              "  -> failure: f failed");
    }
  }

  @Test
  void getUsersDecodesTheUsersBothWays() throws IOException {
    try (Program p = Program.run("deferreds.GetUsers", web)) {
      assertSucceeded(p);
      String users = "[User[name=glyph, poems=3], User[name=exarkun, poems=5]]";
      assertThat(p.out()).isEqualTo("with callbacks: " + users + "\nwith Async: " + users + "\n");
    }
  }

  @Test
  void getUsersLogsAConnectionErrorAndGoesOnWithNoUsers() throws IOException {
    String base = "http://127.0.0.1:" + closedPort();
    try (Program p = Program.run("deferreds.GetUsers", base)) {
      assertThat(p.status()).as("exit status of %s", p).isZero();
      assertThat(p.out()).isEqualTo("with callbacks: []\nwith Async: []\n");
      String warning =
          " WARN dev.braid.examples.deferreds.GetUsers - makeRequest failed due to connection"
              + " error: "
              + base
              + "/users: connection refused";
      assertThat(p.err().lines().toList())
          .hasSize(2)
          .allSatisfy(line -> assertThat(line).endsWith(warning));
    }
  }

  // --- Part 8 -------------------------------------------------------------------------------

  @Test
  void clientFourPrintsThePoemsAndReportsTheFailures() throws IOException {
    int down = closedPort();
    try (Program p =
        Program.run("tutorial.part8.GetPoetry", String.valueOf(poetryPort), "127.0.0.1:" + down)) {
      assertThat(p.status()).as("exit status of %s", p).isZero();
      assertThat(p.out()).isEqualTo(POEM + "\n");
      assertThat(p.err()).startsWith("Poem failed: ").contains(":" + down).hasLineCount(1);
    }
  }

  @Test
  void aServerThatSendsNothingTimesOutAndIsNamed() throws IOException {
    // A listening socket that never accepts: the connection is made, and no byte ever comes.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Program p =
            Program.run(
                "tutorial.part8.GetPoetryTimeout",
                "0.5",
                String.valueOf(poetryPort),
                String.valueOf(silent.getLocalPort()))) {
      assertThat(p.status()).as("exit status of %s", p).isZero();
      assertThat(p.out()).isEqualTo(POEM + "\n");
      assertThat(p.err())
          .isEqualTo("127.0.0.1:" + silent.getLocalPort() + " failed: no poem after 0.5 seconds\n");
    }
  }

  @Test
  void aBlockingCallbackBlocksTheReactor() throws IOException {
    try (Program p = Program.run("tutorial.part8.DeferBlock")) {
      assertSucceeded(p);
      assertThat(p.out())
          .isEqualTo(
              """
              Starting reactor.
              Firing deferred.
              The start of the callback chain.

              I block

              and the deferred
              blocks

              The end of the callback chain.
              Firing finished.
              The timer due 0.1 s after the start runs only now.
              Done.
              """);
    }
  }

  @Test
  void theStackUnderACallbackGoesDownToTheReactor() throws IOException {
    try (Program p = Program.run("tutorial.part8.GetPoetryStack", String.valueOf(poetryPort))) {
      assertSucceeded(p);
      List<String> lines = p.out().lines().toList();
      assertThat(lines.get(0)).isEqualTo("The stack in gotPoem, innermost frame first:");
      assertThat(lines.get(1)).contains("tutorial.part8.GetPoetryStack.gotPoem(");
      assertThat(lines.getLast()).contains("tutorial.part8.GetPoetryStack.main(");
      int callback = indexOf(lines, "dev.braid.defer.Deferred.callback(");
      int factory = indexOf(lines, "tutorial.part8.PoetryClientFactory.poemFinished(");
      int protocol = indexOf(lines, "tutorial.part8.PoetryProtocol.connectionLost(");
      int reactor = indexOf(lines, "dev.braid.reactor.SelectorReactor.run(");
      assertThat(List.of(1, callback, factory, protocol, reactor, lines.size() - 1))
          .as("gotPoem, Deferred.callback, the factory, the protocol, the reactor, main: %s", lines)
          .isSorted()
          .doesNotHaveDuplicates();
    }
  }

  private static int indexOf(List<String> lines, String frame) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(frame)) {
        return i;
      }
    }
    throw new AssertionError("no frame " + frame + " in " + lines);
  }

  // --- Part 13 ------------------------------------------------------------------------------

  @Test
  void theOuterDeferredWaitsForTheInnerOne() throws IOException {
    try (Program p = Program.run("tutorial.part13.OuterInner")) {
      assertSucceeded(p);
      assertThat(p.out())
          .containsSubsequence(
              "outer 1, callback 3 got 'first result'",
              "outer 2, callback 2 got 'second result' and returns the inner Deferred",
              "waiting on Deferred@",
              "Later: the inner Deferred fires with 'inner result'.",
              "outer 2, callback 3 got 'inner result'",
              "current result: inner result");
    }
  }

  @Test
  void anErrbackThatReturnsADeferredPausesTheChainToo() throws IOException {
    try (Program p = Program.run("tutorial.part13.ErrbackReturnsDeferred")) {
      assertSucceeded(p);
      assertThat(p.out())
          .containsSubsequence(
              "errback 1 got 'the server is down' and returns the inner Deferred",
              "waiting on Deferred@",
              "Later: the inner Deferred succeeds.",
              "callback 2 got 'a poem from the backup server'",
              "current result: a poem from the backup server}",
              "errback 1 got 'the server is down' and returns the inner Deferred",
              "waiting on Deferred@",
              "Later: the inner Deferred fails.",
              "errback 2 got 'the backup server is down'",
              "current result: no poem today}");
      assertThat(p.out()).doesNotContain("callback 1 got");
    }
  }

  @Test
  void clientSixTransformsThePoemOverTheNetwork() throws IOException {
    try (Program p =
        Program.run(
            "tutorial.part13.TransformClient",
            "--xform-server",
            String.valueOf(transformPort),
            String.valueOf(poetryPort))) {
      assertSucceeded(p);
      assertThat(p.out()).isEqualTo(POEM.toLowerCase(Locale.ROOT) + "\n");
    }
  }

  @Test
  void clientSixPrintsThePoemUntransformedWhenTheTransformFails() throws IOException {
    try (Program p =
        Program.run(
            "tutorial.part13.TransformClient",
            "--xform",
            "fail",
            "--xform-server",
            String.valueOf(transformPort),
            String.valueOf(poetryPort))) {
      assertThat(p.status()).as("exit status of %s", p).isZero();
      assertThat(p.out()).isEqualTo(POEM + "\n");
      assertThat(p.err()).startsWith("fail failed! (").hasLineCount(1);
    }
  }

  // --- Part 14 ------------------------------------------------------------------------------

  @Test
  void callbacksAddedToAFiredDeferredRunAtOnce() throws IOException {
    try (Program p = Program.run("tutorial.part14.FiredDeferred")) {
      assertSucceeded(p);
      assertThat(p.out())
          .containsSubsequence(
              "Adding callback 1.\n  callback 1 got 0\n",
              "Adding callback 3.\n  callback 3 got 2\n",
              "Added three callbacks; unpausing.\n  callback 1 got 0\n",
              "  callback 3 got 2\n",
              "Adding an errback.\n  errback got no poem today\n",
              "  fascination: The fascination of what's difficult\n",
              "  science: failed, no cached poem named science\n");
    }
  }

  @Test
  void theProxyFetchesOnceThenServesItsCache() throws IOException {
    try (Program proxy = Program.start("tutorial.part14.PoetryProxy", String.valueOf(poetryPort))) {
      int port =
          bannerPort(
              proxy,
              Pattern.compile(
                  "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) for the server on 127\\.0\\.0\\.1:"
                      + poetryPort
                      + "\\.\n"));
      assertThat(fetch(port)).isEqualTo(POEM);
      assertThat(fetch(port)).isEqualTo(POEM);
      proxy.terminate();
      assertThat(proxy.awaitExit()).as("exit status after SIGTERM").isEqualTo(143);
      assertThat(proxy.out()).endsWith("\nFetching poem from server.\nUsing cached poem.\n");
      assertThat(proxy.err()).isEmpty();
    }
  }

  // --- Every core: shared state across the reactors of a group ------------------------------

  @Test
  void theVisitorCounterOwnedByOneReactorCountsTheClientsOfEvery() throws IOException {
    try (Program server = Program.start("cores.VisitorCounter", "0")) {
      int port =
          bannerPort(server, Pattern.compile("Counting visitors on port (\\d+) with 4 reactors\n"));
      Pattern line = Pattern.compile("visitor (\\d+), served by braid-reactor-[1-4]\n");
      for (int visitor = 1; visitor <= 40; visitor++) {
        String reply = fetch(port);
        Matcher m = line.matcher(reply);
        assertThat(m.matches()).as("reply %s", reply).isTrue();
        assertThat(Integer.parseInt(m.group(1)))
            .as("one count for every reactor")
            .isEqualTo(visitor);
      }
      server.terminate();
      assertThat(server.awaitExit()).as("exit status after SIGTERM").isEqualTo(143);
      assertThat(server.err()).isEmpty();
    }
  }

  @Test
  void theSharedMemoComputesEachTransformOnceForEveryReactor() throws Exception {
    String poem = Poems.named("cafe_at_midnight").text();
    TransformService transforms = TransformService.standard();
    try (Program server = Program.start("cores.SharedMemo", "0")) {
      int port =
          bannerPort(server, Pattern.compile("Transforming on port (\\d+) with 4 reactors\n"));
      List<String> names = List.of("shout", "cummingsify", "shout", "reverse", "cummingsify");
      for (int round = 0; round < 4; round++) {
        for (String name : names) {
          assertThat(ask(port, name)).isEqualTo(transforms.transform(name, poem) + "\r\n");
        }
      }
      assertThat(ask(port, "nothing")).startsWith("no: ");
      server.terminate();
      assertThat(server.awaitExit()).as("exit status after SIGTERM").isEqualTo(143);
      assertThat(server.err()).isEmpty();
      for (String name : List.of("shout", "cummingsify", "reverse")) {
        assertThat(server.out().split("computing " + name + ", once\n", -1))
            .as("computed once: %s", name)
            .hasSize(2);
      }
    }
  }

  /** Sends {@code line} and a line end, and reads the reply to its end. */
  private static String ask(int port, String line) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        InputStream in = socket.getInputStream()) {
      socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Program.TIMEOUT_SECONDS));
      socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
