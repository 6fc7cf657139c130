package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionLost;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.RunningGroup;
import dev.braid.test.RunningReactor;
import java.lang.ref.WeakReference;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One client per reactor, the reactor-thread rule, and closing at reactor shutdown. */
@Tag("loopback")
class WebClientLifecycleTest {

  @Test
  void eachReactorHasItsOwnClient() {
    try (RunningReactor a = RunningReactor.start();
        RunningReactor b = RunningReactor.start()) {
      WebClient first = a.call(() -> WebClient.forReactor(a.reactor()));
      WebClient again = a.call(() -> WebClient.forReactor(a.reactor()));
      WebClient other = b.call(() -> WebClient.forReactor(b.reactor()));
      assertThat(again).isSameAs(first);
      assertThat(other).isNotSameAs(first);
    }
  }

  @Test
  void theReactorsOfAGroupEachHaveTheirOwnClientDeliveringOnTheirOwnThread() throws Exception {
    try (TestServer server = TestServer.start().text("/poem", 200, "text/plain", "poem")) {
      RunningGroup group = RunningGroup.start(3);
      List<WebClient> clients = new ArrayList<>();
      for (SelectorReactor reactor : group.group().reactors()) {
        clients.add(group.call(reactor, () -> WebClient.forReactor(reactor)));
        String delivered =
            group
                .outcomeOf(
                    reactor,
                    () ->
                        WebClient.getPage(reactor, server.url("/poem"))
                            .addCallback(
                                body ->
                                    new String(body, StandardCharsets.UTF_8)
                                        + " on "
                                        + Thread.currentThread().getName()))
                .get();
        assertThat(delivered)
            .isEqualTo("poem on " + group.call(reactor, Thread::currentThread).getName());
      }
      assertThat(clients).doesNotHaveDuplicates();
      group.close(); // the janitor: every client closed with its reactor, every thread ended
    }
  }

  @Test
  void aReactorThatNeverRunsIsCollectedWithItsClient() throws Exception {
    try (TestServer server = TestServer.start().text("/poem", 200, "text/plain", "poem")) {
      List<WeakReference<?>> dropped = reactorNeverRunWithARequest(server.url("/poem"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (dropped.stream().anyMatch(ref -> ref.get() != null) && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(20);
      }
      assertThat(dropped.get(0).get()).as("the reactor").isNull();
      assertThat(dropped.get(1).get()).as("its web client").isNull();
    }
  }

  /** Makes a reactor and a request on it, never runs it, and forgets both. */
  private static List<WeakReference<?>> reactorNeverRunWithARequest(String url) {
    SelectorReactor reactor = SelectorReactor.create();
    WebClient client = WebClient.forReactor(reactor);
    client.getPage(url);
    return List.of(new WeakReference<>(reactor), new WeakReference<>(client));
  }

  @Test
  void callsOffTheReactorThreadWhileItRunsThrow() {
    try (RunningReactor r = RunningReactor.start()) {
      assertThatThrownBy(() -> WebClient.forReactor(r.reactor()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("reactor thread");
      WebClient client = r.call(() -> WebClient.forReactor(r.reactor()));
      assertThatThrownBy(() -> client.request(Request.get("http://127.0.0.1:1/")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("callFromThread");
    }
  }

  @Test
  void aRequestMadeBeforeTheReactorRunsCompletesOnceItRuns() throws Exception {
    try (TestServer server = TestServer.start().text("/poem", 200, "text/plain", "poem")) {
      SelectorReactor reactor = SelectorReactor.create();
      CompletableFuture<Outcome<byte[]>> outcome = new CompletableFuture<>();
      WebClient.getPage(reactor, server.url("/poem"))
          .addBoth(
              o -> {
                outcome.complete(o);
                return null;
              });
      try (RunningReactor r = RunningReactor.start(reactor)) {
        assertThat(new String(RunningReactor.get(outcome).get(), StandardCharsets.UTF_8))
            .isEqualTo("poem");
        assertThat(r.call(() -> WebClient.forReactor(reactor).inFlightCount())).isZero();
      }
    }
  }

  @Test
  void shutdownFailsWhatIsInFlightAndTerminatesTheJdkClients() throws Exception {
    EndlessBody endless = new EndlessBody();
    try (SilentServer silent = new SilentServer();
        TestServer server = TestServer.start().on("/endless", endless)) {
      RunningReactor r = RunningReactor.start();
      CompletableFuture<Outcome<Response>> waiting = new CompletableFuture<>();
      RecordingConsumer consumer = new RecordingConsumer();
      WebClient client =
          r.call(
              () -> {
                WebClient c = WebClient.forReactor(r.reactor());
                c.request(Request.get(silent.url("/poem")))
                    .addBoth(
                        o -> {
                          waiting.complete(o);
                          return null;
                        });
                c.stream(
                        Request.builder("GET", server.url("/endless")).followRedirects().build(),
                        consumer)
                    .addErrback(f -> null);
                return c;
              });
      assertThat(SilentServer.await(silent.requestReceived)).isTrue();
      RunningReactor.get(consumer.firstPiece);

      r.close(); // stops the reactor and joins its thread

      assertThat(((Outcome.Failed<Response>) RunningReactor.get(waiting)).failure().value())
          .isInstanceOf(ConnectionLost.class)
          .hasMessage(silent.url("/poem") + ": the reactor is shutting down");
      assertThat(RunningReactor.get(consumer.lost))
          .isInstanceOf(ConnectionLost.class)
          .hasMessage(server.url("/endless") + ": the reactor is shutting down");
      List<HttpClient> jdkClients = client.httpClients();
      assertThat(jdkClients).hasSize(2); // one per redirect policy used
      assertThat(jdkClients).allMatch(HttpClient::isTerminated);
      assertThat(client.executor().isTerminated()).isTrue();
      assertThat(client.isClosed()).isTrue();
      assertThat(SilentServer.await(silent.clientGone)).isTrue();
      assertThat(SilentServer.await(endless.clientGone)).isTrue();

      // Afterwards: the client fails requests at once, and the reactor gets no new client.
      Deferred<Response> late = client.request(Request.get(silent.url("/late")));
      assertThat(late.hasResult()).isTrue();
      CompletableFuture<Throwable> lateFailure = new CompletableFuture<>();
      late.addErrback(
          f -> {
            lateFailure.complete(f.value());
            return null;
          });
      assertThat(lateFailure.getNow(null))
          .hasMessage(
              silent.url("/late") + ": the web client is closed: its reactor has shut down");
      assertThatThrownBy(() -> WebClient.forReactor(r.reactor()))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aReactorThatNeverMadeARequestHasNothingToClose() {
    RunningReactor r = RunningReactor.start();
    WebClient client = r.call(() -> WebClient.forReactor(r.reactor()));
    r.close();
    assertThat(client.isClosed()).isTrue();
    assertThat(client.httpClients()).isEmpty();
    assertThat(client.executor()).isNull();
  }
}
