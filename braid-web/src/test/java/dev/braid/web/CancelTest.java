package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.test.FullBacklogPort;
import dev.braid.test.RunningReactor;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cancelling the Deferred aborts the exchange at any stage, and the connection really closes. */
@Tag("loopback")
class CancelTest {
  private RunningReactor r;
  private WebClient client;

  @BeforeEach
  void start() {
    r = RunningReactor.start();
    client = r.call(() -> WebClient.forReactor(r.reactor()));
  }

  @AfterEach
  void stop() {
    r.close();
  }

  /** Starts a request on the reactor; the returned future completes with its outcome. */
  private Deferred<Response> startRequest(
      String url, CompletableFuture<Outcome<Response>> outcome) {
    return r.call(
        () -> {
          Deferred<Response> d = client.request(Request.get(url));
          d.addBoth(
              o -> {
                outcome.complete(o);
                return null;
              });
          return d;
        });
  }

  @Test
  void cancellingBeforeTheResponseClosesTheConnection() throws Exception {
    try (SilentServer server = new SilentServer()) {
      CompletableFuture<Outcome<Response>> outcome = new CompletableFuture<>();
      Deferred<Response> d = startRequest(server.url("/poem"), outcome);
      assertThat(SilentServer.await(server.requestReceived)).isTrue();
      r.run(d::cancel);
      assertThat(((Outcome.Failed<Response>) RunningReactor.get(outcome)).failure().value())
          .isInstanceOf(CancelledException.class);
      assertThat(SilentServer.await(server.clientGone))
          .as("the server sees the client go")
          .isTrue();
      assertThat(r.call(() -> client.inFlightCount())).isZero();
    }
  }

  @Test
  void cancellingWhileTheBodyArrivesClosesTheConnection() throws Exception {
    EndlessBody endless = new EndlessBody();
    try (TestServer server = TestServer.start().on("/endless", endless)) {
      CompletableFuture<Outcome<Response>> outcome = new CompletableFuture<>();
      Deferred<Response> d = startRequest(server.url("/endless"), outcome);
      assertThat(SilentServer.await(endless.firstChunkSent)).isTrue();
      r.run(d::cancel);
      assertThat(((Outcome.Failed<Response>) RunningReactor.get(outcome)).failure().value())
          .isInstanceOf(CancelledException.class);
      assertThat(SilentServer.await(endless.clientGone))
          .as("the server sees the client go")
          .isTrue();
    }
  }

  @Test
  void cancellingWhileConnectingFailsAtOnce() throws Exception {
    try (FullBacklogPort port = FullBacklogPort.open()) {
      CompletableFuture<Outcome<Response>> outcome = new CompletableFuture<>();
      Deferred<Response> d = startRequest("http://127.0.0.1:" + port.port() + "/", outcome);
      r.run(d::cancel);
      assertThat(((Outcome.Failed<Response>) RunningReactor.get(outcome)).failure().value())
          .isInstanceOf(CancelledException.class);
      assertThat(r.call(() -> client.inFlightCount())).isZero();
    }
  }
}
