package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ReactorTcp;
import dev.braid.reactor.GroupPort;
import dev.braid.reactor.IoBackend;
import dev.braid.reactor.PortSharing;
import dev.braid.reactor.ReactorGroup;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.RunningGroup;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A TLS server on a group of two reactors, on the transport the build runs (the native one by
 * default, {@code java.nio} in the build's second run): every reactor serves TLS connections, those
 * handed from the acceptor to the other reactor too.
 */
@Tag("loopback")
class TlsOnReactorGroupTest {
  private static final int CONNECTIONS = 40;

  /** The transport the build asked for: {@code braid.transport}, else native where it can run. */
  private static IoBackend expectedTransport() {
    String asked = System.getProperty(IoBackend.PROPERTY);
    if (asked != null) {
      return IoBackend.parse(asked);
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean supported = os.startsWith("linux") && (arch.equals("amd64") || arch.equals("aarch64"));
    return supported ? IoBackend.NATIVE : IoBackend.NIO;
  }

  /** Fetches over TLS with the JDK's client: what the server wrote before its close_notify. */
  private static String fetch(SSLContext context, int port) throws IOException {
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(PortSharing.class)
  void everyReactorOfTheGroupServesTls(PortSharing sharing) throws IOException {
    ReactorGroup group = ReactorGroup.create(2);
    assertThat(group.reactors())
        .extracting(SelectorReactor::ioBackend)
        .containsOnly(expectedTransport());
    GroupPort port =
        group.listenTCP(
            0,
            reactor ->
                Tls.serverFactory(
                    reactor,
                    Certs.server(),
                    address ->
                        new BaseProtocol() {
                          @Override
                          protected void connectionMade() {
                            transport()
                                .write(
                                    Thread.currentThread()
                                        .getName()
                                        .getBytes(StandardCharsets.UTF_8));
                            transport().loseConnection();
                          }
                        }),
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1",
            sharing);
    try (RunningGroup running = RunningGroup.start(group)) {
      SSLContext context = Certs.client().sslContext();
      Map<String, Integer> served = new TreeMap<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        served.merge(fetch(context, port.getHost().getPort()), 1, Integer::sum);
      }

      assertThat(served).containsOnlyKeys("braid-reactor-1", "braid-reactor-2");
      if (sharing == PortSharing.ACCEPTOR) {
        assertThat(served.values()).containsOnly(CONNECTIONS / 2); // handed out in turn
      }
      for (SelectorReactor reactor : group.reactors()) {
        assertThat(running.call(reactor, reactor::openConnections)).isEmpty();
      }
      RunningReactor.get(port.stopListening());
    }
  }
}
