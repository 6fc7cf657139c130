package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.test.RunningReactor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** getPage against a real server on loopback: bodies, HttpError, redirects, the reactor thread. */
@Tag("loopback")
class GetPageTest {
  private TestServer server;
  private RunningReactor r;

  @BeforeEach
  void start() throws Exception {
    server =
        TestServer.start()
            .text("/poem", 200, "text/plain; charset=utf-8", "The Fascination of what's Difficult")
            .text("/missing", 404, "text/plain", "no such poem")
            .on(
                "/moved",
                exchange -> {
                  exchange.getResponseHeaders().set("Location", "/poem");
                  TestServer.send(exchange, 302, new byte[0]);
                });
    r = RunningReactor.start();
  }

  @AfterEach
  void stop() throws Exception {
    r.close();
    server.close();
  }

  @Test
  void firesWithTheBodyOfA200() {
    byte[] page = r.await(() -> WebClient.getPage(r.reactor(), server.url("/poem")));
    assertThat(new String(page, StandardCharsets.UTF_8))
        .isEqualTo("The Fascination of what's Difficult");
  }

  @Test
  void a404FailsWithAnHttpErrorCarryingStatusAndBody() {
    String url = server.url("/missing");
    Outcome<byte[]> outcome = r.outcomeOf(() -> WebClient.getPage(r.reactor(), url));
    Failure failure = ((Outcome.Failed<byte[]>) outcome).failure();
    assertThat(failure.value()).isInstanceOf(HttpError.class).hasMessage("404 Not Found: " + url);
    HttpError error = (HttpError) failure.value();
    assertThat(error.status()).isEqualTo(404);
    assertThat(new String(error.body(), StandardCharsets.UTF_8)).isEqualTo("no such poem");
    assertThat(error.headers().firstValue("content-type")).contains("text/plain");
    assertThat(error.uri()).hasToString(url);
  }

  @Test
  void followsRedirectsAsTwistedsGetPageDoes() {
    byte[] page = r.await(() -> WebClient.getPage(r.reactor(), server.url("/moved")));
    assertThat(new String(page, StandardCharsets.UTF_8))
        .isEqualTo("The Fascination of what's Difficult");
  }

  @Test
  void aRedirectNotFollowedIsAnHttpError() {
    String url = server.url("/moved");
    Outcome<byte[]> outcome =
        r.outcomeOf(() -> WebClient.forReactor(r.reactor()).getPage(Request.get(url)));
    assertThat(((Outcome.Failed<byte[]>) outcome).failure().value())
        .isInstanceOf(HttpError.class)
        .hasMessage("302 Found: " + url);
  }

  @Test
  void callbacksAndErrbacksRunOnTheReactorThread() {
    Thread success =
        r.await(
            () ->
                WebClient.getPage(r.reactor(), server.url("/poem"))
                    .addCallback(page -> Thread.currentThread()));
    Thread failure =
        r.await(
            () ->
                WebClient.getPage(r.reactor(), server.url("/missing"))
                    .addCallback(page -> (Thread) null)
                    .addErrback(f -> Thread.currentThread()));
    assertThat(success).isSameAs(r.thread());
    assertThat(failure).isSameAs(r.thread());
  }
}
