package dev.braid.web.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpServer;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.Reactor;
import dev.braid.reactor.SelectorReactor;
import dev.braid.reactor.Tasks;
import dev.braid.test.log.LogCapture;
import dev.braid.test.log.LogEvent;
import dev.braid.web.WebClient;
import dev.braid.web.examples.GetUsersExample.User;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * The examples run as programs: each on a fresh reactor run by {@link Tasks#react} on the test
 * thread, against a server on loopback.
 */
@Tag("loopback")
class ExamplesTest {
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve("/page", 200, "<HTML><BODY>The Fascination Of What's Difficult</BODY></HTML>");
    serve("/users", 200, "[{\"name\":\"glyph\",\"poems\":3},{\"name\":\"exarkun\",\"poems\":5}]");
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void serve(String path, int status, String body) {
    server.createContext(
        path,
        exchange -> {
          try (exchange;
              OutputStream out = exchange.getResponseBody()) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            out.write(bytes);
          }
        });
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** Runs {@code main} on a new reactor until its Deferred fires; returns the exit status. */
  private static int react(Tasks.Main<? super Reactor> main) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Tasks.react(
            SelectorReactor.create(), main, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    return status;
  }

  @Test
  void getPageLowerCasesAndPrintsThePage() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int status =
        react(reactor -> GetPageExample.printLowerCasePage(reactor, base + "/page", print));
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("<html><body>the fascination of what's difficult</body></html>\n");
  }

  @Test
  void getPageOfAMissingPageRunsTheErrback() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int status =
        react(reactor -> GetPageExample.printLowerCasePage(reactor, base + "/missing", print));
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("An error has occurred: <404 Not Found: " + base + "/missing>\n");
  }

  private static final List<BiFunction<WebClient, String, Deferred<List<User>>>> BOTH_VERSIONS =
      List.of(GetUsersExample::getUsersWithCallbacks, GetUsersExample::getUsers);

  /** Runs one version of getUsers on a new reactor and returns its outcome. */
  private static Outcome<List<User>> getUsers(
      BiFunction<WebClient, String, Deferred<List<User>>> version, String baseUrl) {
    AtomicReference<Outcome<List<User>>> outcome = new AtomicReference<>();
    react(
        reactor ->
            version
                .apply(WebClient.forReactor(reactor), baseUrl)
                .addBoth(
                    o -> {
                      outcome.set(o);
                      return null;
                    }));
    return outcome.get();
  }

  @Test
  void getUsersDecodesTheJsonBody() throws Exception {
    for (var version : BOTH_VERSIONS) {
      assertThat(getUsers(version, base).get())
          .containsExactly(new User("glyph", 3), new User("exarkun", 5));
    }
  }

  @Test
  void getUsersReturnsAnEmptyListOnAConnectionError(LogCapture logs) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    for (var version : BOTH_VERSIONS) {
      assertThat(getUsers(version, "http://127.0.0.1:" + closed).get()).isEmpty();
      // The example logs the error it swallows, once per call.
      assertThat(logs.take(Level.WARN, GetUsersExample.class))
          .singleElement()
          .extracting(LogEvent::message)
          .isEqualTo(
              "makeRequest failed due to connection error: http://127.0.0.1:"
                  + closed
                  + "/users: connection refused");
    }
  }

  @Test
  void getUsersPassesOtherErrorsOn() {
    for (var version : BOTH_VERSIONS) {
      Outcome<List<User>> outcome = getUsers(version, base + "/page");
      assertThat(((Outcome.Failed<List<User>>) outcome).failure().value())
          .isInstanceOf(JsonProcessingException.class);
    }
  }
}
