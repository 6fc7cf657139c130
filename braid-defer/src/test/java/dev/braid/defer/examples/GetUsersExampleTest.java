package dev.braid.defer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The Deferred introduction's {@code getUsers} (docs "Introduction to Deferreds", section "Inline
 * callbacks"): a request, a parse of its JSON body, and a connection error handled by logging it
 * and returning an empty list. Written twice, with callbacks and with {@link Async}; both present
 * the same API. The request function is a stand-in and the parser handles only a JSON array of
 * strings, which is all the example needs.
 */
class GetUsersExampleTest {

  /** What {@code makeRequest} stands for: an HTTP request whose Deferred fires with the body. */
  interface Http {
    Deferred<String> makeRequest(String method, String path);
  }

  /** The callback version: {@code d.addCallbacks(json.loads, connectionError)}. */
  static Deferred<List<String>> getUsersWithCallbacks(Http http, List<String> log) {
    return http.makeRequest("GET", "/users")
        .addCallbacks(
            GetUsersExampleTest::parseStringArray,
            failure -> {
              failure.trap(ConnectException.class);
              log.add("makeRequest failed due to connection error: " + failure.getErrorMessage());
              return List.of();
            });
  }

  /** The coroutine version: ordinary try/catch around an await. */
  static Deferred<List<String>> getUsers(Http http, List<String> log) {
    return Async.run(
        () -> {
          try {
            String responseBody = Async.await(http.makeRequest("GET", "/users"));
            return parseStringArray(responseBody);
          } catch (ConnectException e) {
            log.add("makeRequest failed due to connection error: " + e.getMessage());
            return List.of();
          }
        });
  }

  /** Parses {@code ["a", "b"]}: a JSON array of strings with no escapes. */
  static List<String> parseStringArray(String json) {
    String s = json.strip();
    if (!s.startsWith("[") || !s.endsWith("]")) {
      throw new IllegalArgumentException("not a JSON array: " + json);
    }
    List<String> out = new ArrayList<>();
    String inside = s.substring(1, s.length() - 1).strip();
    if (inside.isEmpty()) {
      return out;
    }
    for (String item : inside.split(",")) {
      String t = item.strip();
      if (t.length() < 2 || !t.startsWith("\"") || !t.endsWith("\"")) {
        throw new IllegalArgumentException("not a JSON string: " + t);
      }
      out.add(t.substring(1, t.length() - 1));
    }
    return out;
  }

  /** A stand-in server: each request gets a Deferred that the test fires. */
  static final class PendingRequests implements Http {
    final List<String> requests = new ArrayList<>();
    final List<Deferred<String>> responses = new ArrayList<>();

    @Override
    public Deferred<String> makeRequest(String method, String path) {
      requests.add(method + " " + path);
      Deferred<String> d = Deferred.create();
      responses.add(d);
      return d;
    }
  }

  private static final List<Function<PendingRequests, Deferred<List<String>>>> BOTH_VERSIONS =
      List.of(
          http -> getUsersWithCallbacks(http, new ArrayList<>()),
          http -> getUsers(http, new ArrayList<>()));

  @Test
  void getUsersParsesTheResponseBodyWhenItArrives() {
    for (Function<PendingRequests, Deferred<List<String>>> version : BOTH_VERSIONS) {
      PendingRequests http = new PendingRequests();
      Deferred<List<String>> users = version.apply(http);
      assertThat(http.requests).containsExactly("GET /users");
      assertThat(users.hasResult()).isFalse();

      http.responses.get(0).callback("[\"alice\", \"bob\"]");

      List<List<String>> got = new ArrayList<>();
      users.addCallback(got::add);
      assertThat(got).containsExactly(List.of("alice", "bob"));
    }
  }

  @Test
  void getUsersLogsAConnectionErrorAndReturnsAnEmptyList() {
    PendingRequests http = new PendingRequests();
    List<String> log = new ArrayList<>();
    Deferred<List<String>> users = getUsers(http, log);

    http.responses.get(0).errback(new ConnectException("Connection refused"));

    List<List<String>> got = new ArrayList<>();
    users.addCallback(got::add);
    assertThat(got).containsExactly(List.of());
    assertThat(log)
        .containsExactly("makeRequest failed due to connection error: Connection refused");

    List<String> callbackLog = new ArrayList<>();
    PendingRequests http2 = new PendingRequests();
    Deferred<List<String>> users2 = getUsersWithCallbacks(http2, callbackLog);
    http2.responses.get(0).errback(new ConnectException("Connection refused"));
    assertThat(callbackLog).isEqualTo(log);
    List<List<String>> got2 = new ArrayList<>();
    users2.addCallback(got2::add);
    assertThat(got2).isEqualTo(got);
  }

  @Test
  void getUsersPassesOtherErrorsOn() {
    for (Function<PendingRequests, Deferred<List<String>>> version : BOTH_VERSIONS) {
      PendingRequests http = new PendingRequests();
      Deferred<List<String>> users = version.apply(http);

      http.responses.get(0).callback("not json");

      List<Failure> failures = new ArrayList<>();
      users.addErrback(
          f -> {
            failures.add(f);
            return null;
          });
      assertThat(failures)
          .singleElement()
          .satisfies(f -> assertThat(f.value()).isInstanceOf(IllegalArgumentException.class));
    }
  }
}
