package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Streamed bodies: pieces on the reactor thread, backpressure, pause, abort, errors. */
@Tag("loopback")
class StreamTest {
  private static final int CHUNK = 64 * 1024;
  private static final long FIFTY_MIB = 50L * 1024 * 1024;

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

  /** Starts a stream on the reactor; {@code outcome} completes with the Deferred's outcome. */
  private Deferred<ResponseHead> startStream(
      Request request, BodyConsumer consumer, CompletableFuture<Outcome<ResponseHead>> outcome) {
    return r.call(
        () -> {
          Deferred<ResponseHead> d = client.stream(request, consumer);
          d.addBoth(
              o -> {
                outcome.complete(o);
                return null;
              });
          return d;
        });
  }

  private static Throwable failureOf(CompletableFuture<Outcome<ResponseHead>> outcome) {
    Outcome<ResponseHead> o = RunningReactor.get(outcome);
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    return ((Outcome.Failed<ResponseHead>) o).failure().value();
  }

  @Test
  void fiftyMebibytesArriveInBoundedPiecesWithBoundedBuffering() throws Exception {
    byte[] chunk = new byte[CHUNK];
    new Random(42).nextBytes(chunk);
    CRC32 expected = new CRC32();
    for (long n = 0; n < FIFTY_MIB; n += CHUNK) {
      expected.update(chunk);
    }
    AtomicLong written = new AtomicLong();
    try (TestServer server =
        TestServer.start()
            .on(
                "/big",
                exchange -> {
                  exchange.sendResponseHeaders(200, FIFTY_MIB);
                  try (OutputStream out = exchange.getResponseBody()) {
                    for (long n = 0; n < FIFTY_MIB; n += CHUNK) {
                      out.write(chunk);
                      written.addAndGet(CHUNK);
                    }
                  }
                })) {
      long[] aheadDuringPause = {-1};
      boolean[] paused = {false};
      boolean[] deliveredWhilePaused = {false};
      RecordingConsumer consumer = new RecordingConsumer();
      consumer.onData =
          data -> {
            if (paused[0]) {
              deliveredWhilePaused[0] = true;
            }
            if (aheadDuringPause[0] < 0 && consumer.bytes >= 8L * 1024 * 1024 && !paused[0]) {
              paused[0] = true;
              consumer.body.pauseProducing();
              r.reactor()
                  .callLater(
                      0.3,
                      () -> {
                        // However long the pause, the server can be ahead of us only by what the
                        // socket buffers and the JDK's client hold: nowhere near the whole body.
                        aheadDuringPause[0] = written.get() - consumer.bytes;
                        paused[0] = false;
                        consumer.body.resumeProducing();
                      });
            }
          };

      ResponseHead head = r.await(() -> client.stream(Request.get(server.url("/big")), consumer));

      assertThat(head.status()).isEqualTo(200);
      assertThat(RunningReactor.get(consumer.lost)).isInstanceOf(ConnectionDone.class);
      assertThat(consumer.bytes).isEqualTo(FIFTY_MIB);
      assertThat(consumer.crc.getValue()).isEqualTo(expected.getValue());
      assertThat(consumer.events)
          .containsExactly("responseReceived 200", "dataReceived", "connectionLost ConnectionDone");
      assertThat(consumer.threads).containsOnly(r.thread());
      assertThat(deliveredWhilePaused[0]).as("data delivered while paused").isFalse();
      assertThat(aheadDuringPause[0]).isBetween(0L, 16L * 1024 * 1024);
      assertThat(consumer.largestPiece).isLessThanOrEqualTo(1024 * 1024);
      assertThat(client.maxUndeliveredBodyBytes()).isLessThanOrEqualTo(1024 * 1024);
      System.out.printf(
          "50 MiB streamed in %d pieces, largest %d bytes; at most %d bytes held undelivered;"
              + " server ahead by %d bytes during the pause%n",
          consumer.pieces,
          consumer.largestPiece,
          client.maxUndeliveredBodyBytes(),
          aheadDuringPause[0]);
    }
  }

  @Test
  void anErrorStatusIsStreamedLikeAnyOther() throws IOException {
    try (TestServer server = TestServer.start().text("/missing", 404, "text/plain", "no poem")) {
      RecordingConsumer consumer = new RecordingConsumer();
      ResponseHead head =
          r.await(() -> client.stream(Request.get(server.url("/missing")), consumer));
      assertThat(head.status()).isEqualTo(404);
      assertThat(consumer.bytes).isEqualTo("no poem".length());
      assertThat(consumer.events)
          .containsExactly("responseReceived 404", "dataReceived", "connectionLost ConnectionDone");
    }
  }

  @Test
  void aBodyThatBreaksOffIsAConnectionLostNamingTheUrl() throws Exception {
    byte[] reply =
        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten b"
            .getBytes(StandardCharsets.UTF_8);
    try (SilentServer server = SilentServer.answering(reply)) {
      String url = server.url("/poem");
      RecordingConsumer consumer = new RecordingConsumer();
      CompletableFuture<Outcome<ResponseHead>> outcome = new CompletableFuture<>();
      startStream(Request.get(url), consumer, outcome);
      Throwable failure = failureOf(outcome);
      assertThat(failure)
          .isInstanceOf(ConnectionLost.class)
          .hasMessageStartingWith(url + ": the response body broke off");
      assertThat(RunningReactor.get(consumer.lost)).isSameAs(failure);
      assertThat(consumer.bytes).isEqualTo(10);
      assertThat(consumer.events.getLast()).isEqualTo("connectionLost ConnectionLost");
    }
  }

  @Test
  void stopProducingAbortsTheResponseAndClosesTheConnection() throws Exception {
    EndlessBody endless = new EndlessBody();
    try (TestServer server = TestServer.start().on("/endless", endless)) {
      RecordingConsumer consumer = new RecordingConsumer();
      consumer.onData = data -> consumer.body.stopProducing();
      CompletableFuture<Outcome<ResponseHead>> outcome = new CompletableFuture<>();
      startStream(Request.get(server.url("/endless")), consumer, outcome);
      assertThat(failureOf(outcome)).isInstanceOf(ConnectionAborted.class);
      assertThat(RunningReactor.get(consumer.lost)).isInstanceOf(ConnectionAborted.class);
      assertThat(consumer.lostInsideACall).as("connectionLost inside stopProducing").isFalse();
      assertThat(consumer.pieces).isEqualTo(1);
      assertThat(SilentServer.await(endless.clientGone))
          .as("the server sees the client go")
          .isTrue();
    }
  }

  @Test
  void cancellingDuringTheBodyAbortsItAndClosesTheConnection() throws Exception {
    EndlessBody endless = new EndlessBody();
    try (TestServer server = TestServer.start().on("/endless", endless)) {
      RecordingConsumer consumer = new RecordingConsumer();
      CompletableFuture<Outcome<ResponseHead>> outcome = new CompletableFuture<>();
      Deferred<ResponseHead> d =
          startStream(Request.get(server.url("/endless")), consumer, outcome);
      RunningReactor.get(consumer.firstPiece);
      r.run(d::cancel);
      assertThat(failureOf(outcome)).isInstanceOf(CancelledException.class);
      assertThat(RunningReactor.get(consumer.lost)).isInstanceOf(ConnectionAborted.class);
      assertThat(SilentServer.await(endless.clientGone))
          .as("the server sees the client go")
          .isTrue();
      assertThat(r.call(() -> client.inFlightCount())).isZero();
    }
  }

  @Test
  void aConsumerThatThrowsAbortsTheResponse() throws Exception {
    EndlessBody endless = new EndlessBody();
    try (TestServer server = TestServer.start().on("/endless", endless)) {
      IllegalStateException boom = new IllegalStateException("boom");
      RecordingConsumer consumer = new RecordingConsumer();
      consumer.onData =
          data -> {
            throw boom;
          };
      CompletableFuture<Outcome<ResponseHead>> outcome = new CompletableFuture<>();
      startStream(Request.get(server.url("/endless")), consumer, outcome);
      assertThat(failureOf(outcome)).isSameAs(boom);
      assertThat(RunningReactor.get(consumer.lost))
          .isInstanceOf(ConnectionLost.class)
          .hasCause(boom);
      assertThat(SilentServer.await(endless.clientGone))
          .as("the server sees the client go")
          .isTrue();
    }
  }

  @Test
  void aRequestFailingBeforeTheHeadNeverCallsTheConsumer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RecordingConsumer consumer = new RecordingConsumer();
    CompletableFuture<Outcome<ResponseHead>> outcome = new CompletableFuture<>();
    startStream(Request.get("http://127.0.0.1:" + port + "/"), consumer, outcome);
    assertThat(failureOf(outcome)).isInstanceOf(ConnectionRefusedError.class);
    assertThat(r.call(() -> consumer.events)).isEmpty();
  }

  @Test
  void theTimeoutCoversOnlyTheWaitForTheHead() throws IOException {
    try (SilentServer silent = new SilentServer();
        TestServer server = TestServer.start().text("/poem", 200, "text/plain", "poem")) {
      RecordingConsumer waiting = new RecordingConsumer();
      CompletableFuture<Outcome<ResponseHead>> outcome = new CompletableFuture<>();
      String url = silent.url("/poem");
      startStream(
          Request.builder("GET", url).timeout(Duration.ofMillis(200)).build(), waiting, outcome);
      assertThat(failureOf(outcome))
          .isInstanceOf(HttpTimeoutException.class)
          .hasMessage(url + ": no response within 0.2 seconds");
      assertThat(r.call(() -> waiting.events)).isEmpty();

      int[] timersAtHead = {-1};
      RecordingConsumer consumer =
          new RecordingConsumer() {
            @Override
            public void responseReceived(ResponseHead head, dev.braid.net.PushProducer body) {
              super.responseReceived(head, body);
              timersAtHead[0] = r.reactor().getDelayedCalls().size();
            }
          };
      Request request =
          Request.builder("GET", server.url("/poem")).timeout(Duration.ofMinutes(1)).build();
      r.await(() -> client.stream(request, consumer));
      assertThat(timersAtHead[0]).as("timers left once the head arrived").isZero();
    }
  }
}
