package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.test.FullBacklogPort;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** TCP endpoints and connectProtocol, over loopback (their string forms: EndpointStringsTest). */
@Tag("loopback")
class EndpointsTest {
  private static Throwable failureOf(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    return ((Outcome.Failed<?>) outcome).failure().value();
  }

  @Test
  void aServerStringListensWhereItSays() {
    try (RunningReactor r = RunningReactor.start()) {
      for (String description :
          List.of(
              "tcp:0:interface=127.0.0.1", "tcp:port=0:interface=127.0.0.1:backlog=5", "TCP:0")) {
        ListeningPort port =
            r.await(
                () ->
                    Endpoints.serverFromString(r.reactor(), description)
                        .listen(a -> new BaseProtocol() {}));
        assertThat(port.getHost().getPort()).as(description).isPositive();
        if (description.contains("127.0.0.1")) {
          assertThat(port.getHost().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
      }
    }
  }

  @Test
  void anEscapedColonAllowsAnIpv6Interface() throws IOException {
    boolean ipv6 = InetAddress.getByName("::1") instanceof Inet6Address;
    try (RunningReactor r = RunningReactor.start()) {
      Outcome<ListeningPort> outcome =
          r.outcomeOf(
              () ->
                  Endpoints.serverFromString(r.reactor(), "tcp:0:interface=\\:\\:1")
                      .listen(a -> new BaseProtocol() {}));
      if (ipv6 && outcome.isSuccess()) {
        assertThat(((Outcome.Success<ListeningPort>) outcome).value().getHost().getAddress())
            .isEqualTo(InetAddress.getByName("::1"));
      } else {
        // No IPv6 loopback on this machine: the failure names the address.
        assertThat(failureOf(outcome)).hasMessageContaining("[::1]");
      }
    }
  }

  @Test
  void aClientStringConnectsAndConnectProtocolHandsBackTheSameProtocol() {
    try (RunningReactor r = RunningReactor.start()) {
      int port =
          r.await(
                  () ->
                      Endpoints.serverFromString(r.reactor(), "tcp:0:interface=127.0.0.1")
                          .listen(a -> new BaseProtocol() {}))
              .getHost()
              .getPort();
      for (String description :
          List.of(
              "tcp:host=127.0.0.1:port=" + port + ":timeout=5",
              "tcp:127.0.0.1:" + port,
              "tcp:host=localhost:" + port,
              "tcp:host=127.0.0.1:port=" + port + ":bindAddress=127.0.0.1")) {
        RecordingProtocol mine = new RecordingProtocol();
        RecordingProtocol connected =
            r.await(
                () ->
                    Endpoints.connectProtocol(
                        Endpoints.clientFromString(r.reactor(), description), mine));
        assertThat(connected).as(description).isSameAs(mine);
        assertThat(mine.made).isDone();
        r.run(() -> mine.awaitTransport().loseConnection());
      }
    }
  }

  @Test
  void theDeferredFiresAfterMakeConnection() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = r.listen(a -> new BaseProtocol() {});
      Boolean connectedWhenFired =
          r.await(
              () ->
                  Endpoints.tcpClient(r.reactor(), "127.0.0.1", port)
                      .connect(a -> new BaseProtocol() {})
                      .addCallback(p -> ((BaseProtocol) p).isConnected()));
      assertThat(connectedWhenFired).isTrue();
    }
  }

  @Test
  void aRefusedConnectionFailsTheDeferred() throws IOException {
    int port = PoetryTest.unusedPort();
    try (RunningReactor r = RunningReactor.start()) {
      Outcome<Protocol> outcome =
          r.outcomeOf(
              () ->
                  Endpoints.tcpClient(r.reactor(), "127.0.0.1", port)
                      .connect(a -> new BaseProtocol() {}));
      assertThat(failureOf(outcome)).isInstanceOf(ConnectionRefusedError.class);
    }
  }

  @Test
  void aFactoryThatBuildsNoProtocolFailsTheDeferred() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = r.listen(a -> new BaseProtocol() {});
      Outcome<Protocol> outcome =
          r.outcomeOf(() -> Endpoints.tcpClient(r.reactor(), "127.0.0.1", port).connect(a -> null));
      assertThat(failureOf(outcome))
          .isInstanceOf(ConnectError.class)
          .hasMessage("127.0.0.1:" + port + ": the factory built no protocol");
    }
  }

  @Test
  void cancellingWhileConnectingStopsTheAttempt() throws IOException {
    try (FullBacklogPort full = FullBacklogPort.open();
        RunningReactor r = RunningReactor.start()) {
      Outcome<Protocol> outcome =
          r.outcomeOf(
              () -> {
                Deferred<Protocol> d =
                    Endpoints.tcpClient(r.reactor(), "127.0.0.1", full.port())
                        .connect(a -> new BaseProtocol() {});
                r.reactor().callLater(0.01, d::cancel);
                return d;
              });
      assertThat(failureOf(outcome)).isInstanceOf(CancelledException.class);
    }
  }

  @Test
  void aServerEndpointThatCannotListenFailsItsDeferred() {
    try (RunningReactor r = RunningReactor.start()) {
      int taken =
          r.call(() -> r.reactor().listenTCP(0, a -> null, 10, "127.0.0.1").getHost().getPort());
      Outcome<ListeningPort> outcome =
          r.outcomeOf(
              () -> Endpoints.tcpServer(r.reactor(), taken, 10, "127.0.0.1").listen(a -> null));
      assertThat(failureOf(outcome))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken);
    }
  }
}
