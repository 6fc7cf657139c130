package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Connector;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorFailedException;
import dev.braid.net.ReactorTcp;
import dev.braid.net.SystemEventPhase;
import dev.braid.test.FullBacklogPort;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * When the selector fails, nothing is left hanging: every protocol hears {@code connectionLost}
 * with the cause, attempts fail, ports close, the shutdown triggers run, and {@code run()} throws.
 */
class SelectorFailureTest {

  /** Makes the next select throw {@code failure}; the selects after it are the real ones. */
  private static void failNextSelect(SelectorReactor reactor, Exception failure) {
    SelectorReactor.SelectStep real = reactor.selectStep;
    reactor.selectStep =
        (selector, handler, timeout) -> {
          reactor.selectStep = real;
          if (failure instanceof IOException io) {
            throw io;
          }
          throw (RuntimeException) failure;
        };
  }

  /**
   * A reactor with something of every kind open: a listening port with two accepted connections
   * (one from the reactor's own client, one from a blocking peer), an attempt stuck in progress,
   * and a trigger in every phase; everything that happens goes to {@link #log}.
   */
  private static final class Scene implements AutoCloseable {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<ConnectionEnd> reasons = new CopyOnWriteArrayList<>();
    final List<SocketChannel> opened = new CopyOnWriteArrayList<>();
    final CompletableFuture<ConnectError> attemptFailed = new CompletableFuture<>();
    final CompletableFuture<Void> attemptSocketOpened = new CompletableFuture<>();
    final SelectorReactor reactor = SelectorReactor.create();
    final RunningReactor running;
    final FullBacklogPort full;
    final Socket peer;
    final int port;

    Scene() throws IOException {
      reactor.channelOpener =
          () -> {
            SocketChannel channel = SocketChannel.open();
            opened.add(channel);
            if (opened.size() == 2) {
              attemptSocketOpened.complete(null); // the client's socket came first
            }
            return channel;
          };
      reactor.addSystemEventTrigger(
          SystemEventPhase.BEFORE,
          () -> {
            log.add("before");
            Deferred<Void> later = Deferred.create();
            reactor.callLater( // timers still run once the selector has failed
                0.05,
                () -> {
                  log.add("before's Deferred fires");
                  later.callback(null);
                });
            return later;
          });
      reactor.addSystemEventTrigger(
          SystemEventPhase.DURING,
          () -> {
            try {
              reactor.listenTCP(0, a -> null);
            } catch (IllegalStateException refused) {
              log.add("during: " + refused.getMessage());
            }
            return null;
          });
      reactor.addSystemEventTrigger(
          SystemEventPhase.AFTER,
          () -> {
            log.add(
                "after: "
                    + reactor.listeningPorts().size()
                    + " ports, "
                    + reactor.connectionAttempts().size()
                    + " attempts, "
                    + reactor.openConnections().size()
                    + " connections");
            return null;
          });
      full = FullBacklogPort.open();
      running = RunningReactor.start(reactor);
      CompletableFuture<Void> accepted = new CompletableFuture<>();
      CompletableFuture<Void> acceptedTwice = new CompletableFuture<>();
      port =
          running.call(
              () ->
                  reactor
                      .listenTCP(
                          0,
                          new Factory() {
                            int accepts;

                            @Override
                            public Protocol buildProtocol(InetSocketAddress address) {
                              (++accepts == 1 ? accepted : acceptedTwice).complete(null);
                              return recording("server");
                            }

                            @Override
                            public void stopFactory() {
                              log.add("port closed");
                            }
                          },
                          ReactorTcp.DEFAULT_BACKLOG,
                          "127.0.0.1")
                      .getHost()
                      .getPort());
      RecordingProtocol client = recording("client");
      running.run(() -> reactor.connectTCP("127.0.0.1", port, (ClientFactory) a -> client));
      client.awaitTransport();
      RunningReactor.get(accepted);
      peer = new Socket("127.0.0.1", port);
      RunningReactor.get(acceptedTwice);
      running.run(
          () ->
              reactor.connectTCP(
                  "127.0.0.1",
                  full.port(),
                  new ClientFactory() {
                    @Override
                    public Protocol buildProtocol(InetSocketAddress address) {
                      return null;
                    }

                    @Override
                    public void clientConnectionFailed(Connector connector, ConnectError reason) {
                      log.add("attempt failed");
                      attemptFailed.complete(reason);
                    }
                  },
                  Duration.ofSeconds(30),
                  null));
      RunningReactor.get(attemptSocketOpened); // it is opened on the loop's next turn
      running.run(
          () -> {
            assertThat(reactor.openConnections()).hasSize(3);
            assertThat(reactor.connectionAttempts()).hasSize(1);
          });
    }

    private RecordingProtocol recording(String side) {
      return new RecordingProtocol() {
        @Override
        public void connectionLost(ConnectionEnd reason) {
          super.connectionLost(reason);
          log.add(side + " connectionLost");
          reasons.add(reason);
        }
      };
    }

    /** Checks everything that must have happened after the selector failed with {@code cause}. */
    void assertShutDownAfter(Throwable cause) throws IOException {
      assertThat(running.awaitFailure())
          .isExactlyInstanceOf(ReactorFailedException.class)
          .hasMessage("the reactor shut down because its selector failed: " + cause)
          .hasCause(cause);
      assertThat(log.subList(0, 5))
          .containsExactlyInAnyOrder(
              "server connectionLost",
              "server connectionLost",
              "client connectionLost",
              "attempt failed",
              "port closed");
      assertThat(log.subList(5, log.size()))
          .containsExactly(
              "before",
              "before's Deferred fires",
              "during: the reactor is shutting down: its selector failed",
              "after: 0 ports, 0 attempts, 0 connections");
      assertThat(reasons)
          .hasSize(3)
          .allSatisfy(
              reason ->
                  assertThat(reason)
                      .isExactlyInstanceOf(ConnectionLost.class)
                      .hasMessage("Connection lost: the reactor's selector failed: " + cause)
                      .hasCause(cause));
      assertThat(RunningReactor.get(attemptFailed))
          .hasMessage("127.0.0.1:" + full.port() + ": the reactor's selector failed: " + cause)
          .hasCause(cause);
      assertThat(opened).hasSize(2).noneMatch(SocketChannel::isOpen);
      assertThat(peer.getInputStream().read()).isEqualTo(-1); // its connection was closed
      try (Socket again = new Socket()) {
        assertThatThrownBy(() -> again.connect(new InetSocketAddress("127.0.0.1", port), 5000))
            .isInstanceOf(ConnectException.class); // the port was closed
      }
    }

    @Override
    public void close() throws IOException {
      peer.close();
      full.close();
    }
  }

  @Test
  @Tag("loopback")
  void anIOExceptionFromSelectClosesEverythingRunsTheTriggersAndMakesRunThrow(LogCapture logs)
      throws IOException {
    logs.expect(Level.ERROR, SelectorReactor.class, "the selector failed");
    IOException failure = new IOException("expected by the test: epoll_wait failed");
    try (Scene scene = new Scene()) {
      scene.running.run(() -> failNextSelect(scene.reactor, failure));
      scene.assertShutDownAfter(failure);
    }
  }

  @Test
  @Tag("loopback")
  void aClosedSelectorClosesEverythingRunsTheTriggersAndMakesRunThrow(LogCapture logs)
      throws IOException {
    logs.expect(Level.ERROR, SelectorReactor.class, "the selector failed");
    try (Scene scene = new Scene()) {
      scene.running.run(() -> scene.reactor.selector().close()); // the next select throws
      Throwable thrown = scene.running.awaitFailure();
      assertThat(thrown.getCause()).isExactlyInstanceOf(ClosedSelectorException.class);
      scene.assertShutDownAfter(thrown.getCause());
    }
  }

  @Test
  void aShutdownUnderWayWhenTheSelectorFailsGoesOnAndCallsFromOtherThreadsStillArrive(
      LogCapture logs) {
    logs.expect(Level.ERROR, SelectorReactor.class, "the selector failed");
    SelectorReactor reactor = SelectorReactor.create();
    List<String> log = new CopyOnWriteArrayList<>();
    Deferred<Void> gate = Deferred.create();
    reactor.addSystemEventTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          log.add("before");
          return gate;
        });
    reactor.addSystemEventTrigger(
        SystemEventPhase.AFTER,
        () -> {
          log.add("after");
          return null;
        });
    IOException failure = new IOException("expected by the test: epoll_wait failed");
    CompletableFuture<Void> failed = new CompletableFuture<>();
    RunningReactor running = RunningReactor.start(reactor);
    running.run(
        () -> {
          reactor.stop(); // the BEFORE trigger waits for the gate
          SelectorReactor.SelectStep real = reactor.selectStep;
          reactor.selectStep =
              (selector, handler, timeout) -> {
                reactor.selectStep = real;
                failed.complete(null);
                throw failure;
              };
        });
    RunningReactor.get(failed);
    // The loop now parks with nothing to do until the gate opens: this call must wake it.
    reactor.callFromThread(
        () -> {
          log.add("gate opens");
          gate.callback(null);
        });
    assertThat(running.awaitFailure()).hasCause(failure);
    assertThat(log).containsExactly("before", "gate opens", "after");
  }

  @Test
  void reactPrintsAFailedSelectorAndReturnsStatusOne(LogCapture logs) {
    logs.expect(Level.ERROR, SelectorReactor.class, "the selector failed");
    SelectorReactor reactor = SelectorReactor.create();
    IOException failure = new IOException("expected by the test: epoll_wait failed");
    failNextSelect(reactor, failure);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Tasks.react(
            reactor, r -> Deferred.create(), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("the reactor failed")
        .contains(
            ReactorFailedException.class.getName()
                + ": the reactor shut down because its selector failed: "
                + failure);
  }
}
