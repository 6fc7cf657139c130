package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientEndpoint;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TCP endpoints, their string forms, and connectProtocol. */
class EndpointsTest {
  private final SelectorReactor unused = SelectorReactor.create();

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
                    Endpoints.serverFromString(r.reactor, description)
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
                  Endpoints.serverFromString(r.reactor, "tcp:0:interface=\\:\\:1")
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
                      Endpoints.serverFromString(r.reactor, "tcp:0:interface=127.0.0.1")
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
                        Endpoints.clientFromString(r.reactor, description), mine));
        assertThat(connected).as(description).isSameAs(mine);
        assertThat(mine.made).isDone();
        r.run(() -> mine.awaitTransport().loseConnection());
      }
    }
  }

  @Test
  void theDeferredFiresAfterMakeConnection() {
    try (RunningReactor r = RunningReactor.start()) {
      int port =
          r.call(
              () ->
                  r.reactor
                      .listenTCP(
                          0, a -> new BaseProtocol() {}, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                      .getHost()
                      .getPort());
      Boolean connectedWhenFired =
          r.await(
              () ->
                  Endpoints.tcpClient(r.reactor, "127.0.0.1", port)
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
                  Endpoints.tcpClient(r.reactor, "127.0.0.1", port)
                      .connect(a -> new BaseProtocol() {}));
      assertThat(failureOf(outcome)).isInstanceOf(ConnectionRefusedError.class);
    }
  }

  @Test
  void aFactoryThatBuildsNoProtocolFailsTheDeferred() {
    try (RunningReactor r = RunningReactor.start()) {
      int port =
          r.call(
              () ->
                  r.reactor
                      .listenTCP(
                          0, a -> new BaseProtocol() {}, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                      .getHost()
                      .getPort());
      Outcome<Protocol> outcome =
          r.outcomeOf(() -> Endpoints.tcpClient(r.reactor, "127.0.0.1", port).connect(a -> null));
      assertThat(failureOf(outcome))
          .isInstanceOf(ConnectError.class)
          .hasMessage("127.0.0.1:" + port + ": the factory built no protocol");
    }
  }

  @Test
  void cancellingWhileConnectingStopsTheAttempt() throws IOException {
    try (FullBacklogPort full = new FullBacklogPort();
        RunningReactor r = RunningReactor.start()) {
      Outcome<Protocol> outcome =
          r.outcomeOf(
              () -> {
                Deferred<Protocol> d =
                    Endpoints.tcpClient(r.reactor, "127.0.0.1", full.port())
                        .connect(a -> new BaseProtocol() {});
                r.reactor.callLater(0.01, d::cancel);
                return d;
              });
      assertThat(failureOf(outcome)).isInstanceOf(CancelledException.class);
    }
  }

  @Test
  void aServerEndpointThatCannotListenFailsItsDeferred() {
    try (RunningReactor r = RunningReactor.start()) {
      int taken =
          r.call(() -> r.reactor.listenTCP(0, a -> null, 10, "127.0.0.1").getHost().getPort());
      Outcome<ListeningPort> outcome =
          r.outcomeOf(
              () -> Endpoints.tcpServer(r.reactor, taken, 10, "127.0.0.1").listen(a -> null));
      assertThat(failureOf(outcome))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken);
    }
  }

  @Test
  void badServerStringsAreRejectedWithClearMessages() {
    assertBadServer("", "empty endpoint description");
    assertBadServer(
        "udp:10000", "bad endpoint 'udp:10000': unknown endpoint type 'udp' (supported: tcp)");
    assertBadServer(
        "tcp", "bad endpoint 'tcp': a tcp server endpoint needs a port, e.g. 'tcp:10000'");
    assertBadServer("tcp:abc", "bad endpoint 'tcp:abc': port is not a number: 'abc'");
    assertBadServer("tcp:70000", "bad endpoint 'tcp:70000': port out of range: 70000");
    assertBadServer(
        "tcp:1:2",
        "bad endpoint 'tcp:1:2': too many positional arguments [1, 2] (a tcp server takes the port)");
    assertBadServer("tcp:1:port=2", "bad endpoint 'tcp:1:port=2': the port is given twice");
    assertBadServer(
        "tcp:10000:foo=bar",
        "bad endpoint 'tcp:10000:foo=bar': unknown parameter 'foo' for a tcp server");
    assertBadServer(
        "tcp:10000:backlog=0", "bad endpoint 'tcp:10000:backlog=0': backlog must be positive: 0");
    assertBadServer("tcp:port=1:port=2", "parameter 'port' given twice in 'tcp:port=1:port=2'");
    assertBadServer("tcp:1\\", "endpoint description ends with a lone backslash: 'tcp:1\\'");
    assertBadServer(
        "=tcp:1", "endpoint description must start with a type such as 'tcp:': '=tcp:1'");
  }

  @Test
  void badClientStringsAreRejectedWithClearMessages() {
    assertBadClient(
        "tcp:host=example.org",
        "bad endpoint 'tcp:host=example.org': a tcp client endpoint needs a port, e.g."
            + " 'tcp:host=example.org:port=10000'");
    assertBadClient(
        "tcp:port=80",
        "bad endpoint 'tcp:port=80': a tcp client endpoint needs a host, e.g."
            + " 'tcp:host=example.org:port=10000'");
    assertBadClient("tcp:host=x:port=0", "bad endpoint 'tcp:host=x:port=0': port out of range: 0");
    assertBadClient(
        "tcp:host=x:port=80:timeout=soon",
        "bad endpoint 'tcp:host=x:port=80:timeout=soon': timeout is not a number of seconds: 'soon'");
    assertBadClient(
        "tcp:host=x:port=80:timeout=-1",
        "bad endpoint 'tcp:host=x:port=80:timeout=-1': timeout must be a positive number of"
            + " seconds: '-1'");
    assertBadClient(
        "tcp:host=x:port=80:bindAddress=example.org",
        "bad endpoint 'tcp:host=x:port=80:bindAddress=example.org': bindAddress must be an IP"
            + " address: 'example.org'");
    assertBadClient(
        "tcp:a:1:b",
        "bad endpoint 'tcp:a:1:b': too many positional arguments [a, 1, b] (a tcp client takes host"
            + " and port)");
    assertBadClient(
        "tcp:a:1:host=b",
        "bad endpoint 'tcp:a:1:host=b': host or port given both by position and by name");
    assertBadClient(
        "tcp:host=x:port=1:interface=y",
        "bad endpoint 'tcp:host=x:port=1:interface=y': unknown parameter 'interface' for a tcp"
            + " client");
  }

  private void assertBadServer(String description, String message) {
    assertThatThrownBy(() -> Endpoints.serverFromString(unused, description))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  private void assertBadClient(String description, String message) {
    assertThatThrownBy(() -> Endpoints.clientFromString(unused, description))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void endpointsDescribeThemselvesInTheirStringForm() {
    ClientEndpoint client = Endpoints.tcpClient(unused, "example.org", 10000);
    assertThat(client).hasToString("tcp:host=example.org:port=10000");
    assertThat(Endpoints.tcpServer(unused, 10000, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1"))
        .hasToString("tcp:10000:interface=127.0.0.1");
  }
}
