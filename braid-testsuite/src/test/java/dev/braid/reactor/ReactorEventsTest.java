package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reactor's flight-recorder events, read back from a recording. */
class ReactorEventsTest {
  @TempDir Path dir;

  @Test
  @Tag("loopback")
  void aRecordingShowsConnectionsSlowCallbacksLoopLagAndFailuresLeftAtShutdown() throws Exception {
    boolean debuggingBefore = Deferred.isDebugging();
    Deferred.setDebugging(false); // events do not need debug mode
    Path file = dir.resolve("reactor.jfr");
    String reactorName;
    int port;
    Deferred<?>[] leftFailed = new Deferred<?>[1];
    try (Recording recording = new Recording()) {
      recording.enable("dev.braid.ConnectionOpened");
      recording.enable("dev.braid.ConnectionClosed");
      recording.enable("dev.braid.SlowCallback");
      recording.enable("dev.braid.LoopLag").withThreshold(Duration.ofMillis(20));
      recording.enable("dev.braid.UnhandledAtShutdown");
      recording.start();

      SelectorReactor reactor = SelectorReactor.create();
      reactor.setSlowCallbackThreshold(Duration.ofMillis(30));
      reactor.unhandledAtShutdown = unhandled -> {}; // recorded, not logged
      try (RunningReactor running = RunningReactor.start(reactor)) {
        reactorName = running.thread().getName();
        port =
            running.call(
                () ->
                    reactor
                        .listenTCP(
                            0,
                            address ->
                                new BaseProtocol() {
                                  @Override
                                  public void makeConnection(Transport transport) {
                                    super.makeConnection(transport);
                                    transport.write("hello".getBytes(StandardCharsets.US_ASCII));
                                    transport.loseConnection();
                                  }
                                },
                            50,
                            "127.0.0.1")
                        .getHost()
                        .getPort());
        CompletableFuture<Void> closed = new CompletableFuture<>();
        running.run(
            () ->
                reactor.connectTCP(
                    "127.0.0.1",
                    port,
                    new ClientFactory() {
                      @Override
                      public Protocol buildProtocol(InetSocketAddress address) {
                        return new BaseProtocol() {
                          @Override
                          public void connectionLost(ConnectionEnd reason) {
                            closed.complete(null);
                          }
                        };
                      }
                    }));
        RunningReactor.get(closed);
        running.run(
            () -> {
              Thread.sleep(60); // the slow callback under test
              leftFailed[0] = Deferred.fail(new IllegalStateException("left failed"));
            });
      }
      leftFailed[0].addErrback(f -> null); // handled once recorded: no report after collection
      recording.stop();
      recording.dump(file);
    } finally {
      Deferred.setDebugging(debuggingBefore);
    }

    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    List<RecordedEvent> opened = named(events, "dev.braid.ConnectionOpened");
    List<RecordedEvent> closed = named(events, "dev.braid.ConnectionClosed");
    assertThat(opened)
        .extracting(e -> e.getString("side"))
        .containsExactlyInAnyOrder("client", "server");
    assertThat(opened).allMatch(e -> e.getString("reactor").equals(reactorName));
    assertThat(closed).hasSize(2);
    RecordedEvent server =
        closed.stream().filter(e -> e.getString("side").equals("server")).findFirst().orElseThrow();
    RecordedEvent client =
        closed.stream().filter(e -> e.getString("side").equals("client")).findFirst().orElseThrow();
    assertThat(server.getLong("bytesSent")).isEqualTo(5);
    assertThat(server.getString("reason")).isEqualTo("ConnectionDone");
    assertThat(client.getLong("bytesReceived")).isEqualTo(5);
    assertThat(client.getString("remote")).isEqualTo("127.0.0.1:" + port);
    assertThat(server.getString("local")).isEqualTo("127.0.0.1:" + port);
    assertThat(client.getString("protocol")).startsWith("dev.braid.reactor.ReactorEventsTest");

    assertThat(named(events, "dev.braid.SlowCallback"))
        .anyMatch(
            e ->
                e.getString("kind").equals("callFromThread call")
                    && e.getString("callback").contains("RunningReactor")
                    && e.getDuration("took").toMillis() >= 60);
    assertThat(named(events, "dev.braid.LoopLag"))
        .anyMatch(
            e -> e.getDuration().toMillis() >= 60 && e.getString("reactor").equals(reactorName));
    assertThat(named(events, "dev.braid.UnhandledAtShutdown"))
        .anyMatch(
            e ->
                e.getString("message").equals("left failed")
                    && e.getString("exceptionClass").equals("java.lang.IllegalStateException"));
  }

  private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
  }
}
