package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.braid.defer.Outcome;
import dev.braid.test.RunningReactor;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The agent: whole responses whatever their status, headers, bodies, text, JSON, redirects. */
@Tag("loopback")
class RequestTest {
  record User(String name, int poems) {}

  private TestServer server;
  private RunningReactor r;
  private WebClient client;

  @BeforeEach
  void start() throws Exception {
    server =
        TestServer.start()
            .text("/missing", 404, "text/plain", "no such poem")
            .text("/plain", 200, "text/plain", "caf\u00e9")
            .text(
                "/users",
                200,
                "application/json",
                "[{\"name\":\"glyph\",\"poems\":3},{\"name\":\"exarkun\",\"poems\":5}]")
            .text("/user", 200, "application/json", "{\"name\":\"glyph\",\"poems\":3}")
            .text("/broken", 200, "application/json", "{\"name\":")
            .text("/target", 200, "text/plain", "arrived")
            .on(
                "/latin1-bytes",
                exchange -> {
                  exchange
                      .getResponseHeaders()
                      .set("Content-Type", "text/plain; charset=\"ISO-8859-1\"");
                  TestServer.send(exchange, 200, new byte[] {'c', 'a', 'f', (byte) 0xe9});
                })
            .on(
                "/moved",
                exchange -> {
                  exchange.getResponseHeaders().set("Location", "/target");
                  TestServer.send(exchange, 302, new byte[0]);
                })
            .on(
                "/echo",
                exchange -> {
                  ByteArrayOutputStream body = new ByteArrayOutputStream();
                  try (InputStream in = exchange.getRequestBody()) {
                    in.transferTo(body);
                  }
                  String echo =
                      exchange.getRequestMethod()
                          + " "
                          + exchange.getRequestHeaders().getFirst("X-Poet")
                          + " "
                          + body.toString(StandardCharsets.UTF_8);
                  exchange.getResponseHeaders().set("X-Answer", "yes");
                  TestServer.send(exchange, 201, echo.getBytes(StandardCharsets.UTF_8));
                });
    r = RunningReactor.start();
    client = r.call(() -> WebClient.forReactor(r.reactor()));
  }

  @AfterEach
  void stop() throws Exception {
    r.close();
    server.close();
  }

  private Response fetch(Request request) {
    return r.await(() -> client.request(request));
  }

  @Test
  void aNon2xxStatusIsAnOrdinaryResponse() {
    Response response = fetch(Request.get(server.url("/missing")));
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.isSuccess()).isFalse();
    assertThat(response.head().statusLine()).isEqualTo("404 Not Found");
    assertThat(response.text()).isEqualTo("no such poem");
  }

  @Test
  void sendsMethodHeadersAndBodyAndReturnsStatusHeadersAndBody() {
    Response response =
        r.await(
            () ->
                client.request(
                    "POST",
                    server.url("/echo"),
                    Map.of("X-Poet", List.of("Yeats")),
                    "The Second Coming".getBytes(StandardCharsets.UTF_8)));
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.headers().firstValue("x-answer")).contains("yes");
    assertThat(response.text()).isEqualTo("POST Yeats The Second Coming");
    assertThat(response.uri()).hasToString(server.url("/echo"));
    assertThat(response.request().method()).isEqualTo("POST");
  }

  @Test
  void textIsDecodedWithTheCharsetOfContentType() {
    Response response = fetch(Request.get(server.url("/latin1-bytes")));
    assertThat(response.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(response.text()).isEqualTo("caf\u00e9");
  }

  @Test
  void textIsDecodedAsUtf8WithoutACharset() {
    Response response = fetch(Request.get(server.url("/plain")));
    assertThat(response.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(response.text()).isEqualTo("caf\u00e9");
  }

  @Test
  void jsonDecodesIntoATypeAGenericTypeAndATree() throws Exception {
    User user = fetch(Request.get(server.url("/user"))).json(User.class);
    assertThat(user).isEqualTo(new User("glyph", 3));

    Response users = fetch(Request.get(server.url("/users")));
    assertThat(users.json(new TypeReference<List<User>>() {}))
        .containsExactly(new User("glyph", 3), new User("exarkun", 5));
    JsonNode tree = users.jsonNode();
    assertThat(tree.isArray()).isTrue();
    assertThat(tree.get(1).get("name").asText()).isEqualTo("exarkun");
  }

  @Test
  void invalidJsonFailsTheCallbackWithJacksonsException() {
    Outcome<User> outcome =
        r.outcomeOf(
            () ->
                client
                    .request(Request.get(server.url("/broken")))
                    .addCallback(response -> response.json(User.class)));
    assertThat(((Outcome.Failed<User>) outcome).failure().value())
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void redirectsAreNotFollowedByDefault() {
    Response response = fetch(Request.get(server.url("/moved")));
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).contains("/target");
    assertThat(response.uri()).hasToString(server.url("/moved"));
  }

  @Test
  void redirectsAreFollowedWhenTheRequestSaysSo() {
    Response response =
        fetch(Request.builder("GET", server.url("/moved")).followRedirects().build());
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("arrived");
    assertThat(response.uri()).hasToString(server.url("/target"));
  }
}
