package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Outcome;
import dev.braid.net.ConnectTimeoutError;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.DnsLookupError;
import dev.braid.test.FullBacklogPort;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a request fails with when it cannot be answered, each error naming the URL. */
@Tag("loopback")
class FailuresTest {
  private RunningReactor r;

  @BeforeEach
  void start() {
    r = RunningReactor.start();
  }

  @AfterEach
  void stop() {
    r.close();
  }

  private Throwable failureOf(Request request) {
    Outcome<Response> outcome =
        r.outcomeOf(() -> WebClient.forReactor(r.reactor()).request(request));
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    return ((Outcome.Failed<Response>) outcome).failure().value();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void connectionRefusedIsAConnectionRefusedErrorNamingTheUrl() throws IOException {
    String url = "http://127.0.0.1:" + closedPort() + "/poem";
    assertThat(failureOf(Request.get(url)))
        .isInstanceOf(ConnectionRefusedError.class)
        .hasMessage(url + ": connection refused");
  }

  @Test
  void anUnknownHostIsADnsLookupErrorNamingTheUrl() {
    String url = "http://no-such-host.invalid/poem";
    assertThat(failureOf(Request.get(url)))
        .isInstanceOf(DnsLookupError.class)
        .hasMessage(url + ": DNS lookup failed for no-such-host.invalid");
  }

  @Test
  void aConnectionNotEstablishedInTimeIsAConnectTimeoutError() throws IOException {
    try (FullBacklogPort port = FullBacklogPort.open()) {
      String url = "http://127.0.0.1:" + port.port() + "/poem";
      Request request = Request.builder("GET", url).connectTimeout(Duration.ofMillis(200)).build();
      assertThat(failureOf(request))
          .isInstanceOf(ConnectTimeoutError.class)
          .hasMessage(url + ": connection timed out after 0.2 seconds");
    }
  }

  @Test
  void aResponseNotCompleteInTimeIsAnHttpTimeoutExceptionAndTheConnectionIsClosed()
      throws Exception {
    try (SilentServer server = new SilentServer()) {
      String url = server.url("/poem");
      Request request = Request.builder("GET", url).timeout(Duration.ofMillis(200)).build();
      assertThat(failureOf(request))
          .isInstanceOf(HttpTimeoutException.class)
          .hasMessage(url + ": no response within 0.2 seconds");
      assertThat(SilentServer.await(server.requestReceived)).isTrue();
      assertThat(SilentServer.await(server.clientGone))
          .as("the server sees the client go")
          .isTrue();
    }
  }

  @Test
  void errbacksRunOnTheReactorThread() throws IOException {
    String url = "http://127.0.0.1:" + closedPort() + "/poem";
    Thread thread =
        r.await(
            () ->
                WebClient.forReactor(r.reactor())
                    .request(Request.get(url))
                    .addCallback(response -> (Thread) null)
                    .addErrback(failure -> Thread.currentThread()));
    assertThat(thread).isSameAs(r.thread());
  }
}
