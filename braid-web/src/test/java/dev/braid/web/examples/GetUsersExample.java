package dev.braid.web.examples;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.net.ConnectError;
import dev.braid.web.Response;
import dev.braid.web.WebClient;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Deferred introduction's {@code getUsers} ("Inline callbacks"), with a real HTTP request: GET
 * {@code /users}, decode the JSON body, and on a connection error log it and return an empty list.
 * Written with callbacks ({@code d.addCallbacks(json.loads, connectionError)}) and as a coroutine
 * ({@code inlineCallbacks}, here {@link Async}); both present the same API. Other errors (a body
 * that is not the JSON expected) pass on to the caller in both.
 */
public final class GetUsersExample {
  private static final Logger LOG = LoggerFactory.getLogger(GetUsersExample.class);
  private static final TypeReference<List<User>> USERS = new TypeReference<>() {};

  private GetUsersExample() {}

  /**
   * A user, as the server's JSON has it.
   *
   * @param name the user's name
   * @param poems how many poems they wrote
   */
  public record User(String name, int poems) {}

  /** {@code makeRequest("GET", "/users")}: the whole response, whatever its status. */
  static Deferred<Response> makeRequest(WebClient client, String baseUrl, String path) {
    return client.request(
        "GET", baseUrl + path, Map.of("Accept", List.of("application/json")), null);
  }

  /** The callback version. Reactor thread. */
  static Deferred<List<User>> getUsersWithCallbacks(WebClient client, String baseUrl) {
    return makeRequest(client, baseUrl, "/users")
        .addCallbacks(
            response -> response.json(USERS),
            failure -> {
              failure.trap(ConnectError.class);
              LOG.warn("makeRequest failed due to connection error: {}", failure.getErrorMessage());
              return List.of();
            });
  }

  /** The coroutine version: a try/catch around an await. Reactor thread. */
  static Deferred<List<User>> getUsers(WebClient client, String baseUrl) {
    return Async.run(
        () -> {
          Response response;
          try {
            response = Async.await(makeRequest(client, baseUrl, "/users"));
          } catch (ConnectError e) {
            LOG.warn("makeRequest failed due to connection error: {}", e.getMessage());
            return List.of();
          }
          return response.json(USERS);
        });
  }
}
