package dev.braid.examples.deferreds;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.net.ConnectError;
import dev.braid.reactor.Tasks;
import dev.braid.web.Request;
import dev.braid.web.Response;
import dev.braid.web.WebClient;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Introduction to Deferreds", section "Inline callbacks": {@code getUsers} makes a request,
 * decodes its JSON body, and on a connection error logs it and returns an empty list. Written with
 * callbacks ({@code d.addCallbacks(json.loads, connectionError)}) and as a coroutine ({@code
 * inlineCallbacks}, here {@link Async}); both present the same API. Other errors (a body that is
 * not the JSON expected) pass on to the caller in both.
 *
 * <p>{@code bin/example deferreds.GetUsers BASE_URL} prints the users of {@code BASE_URL/users}
 * found each way.
 */
public final class GetUsers {
  private static final Logger LOG = LoggerFactory.getLogger(GetUsers.class);

  private GetUsers() {}

  /**
   * A user, as the server's JSON has it.
   *
   * @param name the user's name
   * @param poems how many poems they wrote
   */
  public record User(String name, int poems) {}

  // tag::readme-request[]
  static Deferred<Response> makeRequest(WebClient client, String baseUrl, String path) {
    Request request =
        Request.builder("GET", baseUrl + path)
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(10))
            .build();
    return client.request(request);
  }

  static Deferred<List<User>> getUsersWithCallbacks(WebClient client, String baseUrl) {
    return makeRequest(client, baseUrl, "/users")
        .addCallbacks(
            response -> response.json(new TypeReference<List<User>>() {}),
            failure -> {
              failure.trap(ConnectError.class); // any other failure passes on
              LOG.warn("makeRequest failed due to connection error: {}", failure.getErrorMessage());
              return List.of();
            });
  }

  // end::readme-request[]

  // tag::readme-async[]
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
          return response.json(new TypeReference<List<User>>() {});
        });
  }

  // end::readme-async[]

  /**
   * Gets the users both ways, one after the other, and prints them.
   *
   * @param args the server's base URL, e.g. {@code http://127.0.0.1:8080}
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: bin/example deferreds.GetUsers BASE_URL");
      System.exit(2);
    }
    String baseUrl = args[0];
    Tasks.reactAndExit(
        reactor -> {
          WebClient client = WebClient.forReactor(reactor);
          return getUsersWithCallbacks(client, baseUrl)
              .addCallback(users -> print("with callbacks", users))
              .addCallbackDeferred(ignored -> getUsers(client, baseUrl))
              .addCallback(users -> print("with Async", users));
        });
  }

  private static Void print(String how, List<User> users) {
    System.out.println(how + ": " + users);
    return null;
  }
}
