package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ReactorTcp;
import dev.braid.test.RunningGroup;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A group's reactors each have a poller of their own, on the transport the build runs (native epoll
 * by default, {@code java.nio} in its second run): the kernel's sharing gives each its own {@code
 * SO_REUSEPORT} socket, and the acceptor's hands accepted connections from its poller to the
 * others' without leaking or sharing a descriptor.
 */
@Tag("loopback")
class GroupTransportTest {
  private static final int CONNECTIONS = 300;

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count() - 1; // the directory stream's own descriptor
    }
  }

  /** Connects, reads to the end of the stream and returns what the server wrote. */
  private static String fetch(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static GroupPort listenNamingTheThread(ReactorGroup group, PortSharing sharing) {
    return group.listenTCP(
        0,
        reactor ->
            address ->
                new BaseProtocol() {
                  @Override
                  protected void connectionMade() {
                    transport()
                        .write(Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8));
                    transport().loseConnection();
                  }
                },
        ReactorTcp.DEFAULT_BACKLOG,
        "127.0.0.1",
        sharing);
  }

  /** {@return the sockets {@code reactor}'s native poller holds, or -1 on java.nio} */
  private static int nativeSockets(RunningGroup running, SelectorReactor reactor) {
    return running.call(
        reactor, () -> reactor.poller() instanceof EpollPoller epoll ? epoll.openSockets() : -1);
  }

  @ParameterizedTest
  @EnumSource(PortSharing.class)
  void everyReactorServesOnItsOwnPollerAndNoDescriptorIsLeft(PortSharing sharing)
      throws IOException {
    assumeThat(Path.of("/proc/self/fd")).as("needs Linux's /proc").isDirectory();
    ReactorGroup group = ReactorGroup.create(2);
    GroupPort port = listenNamingTheThread(group, sharing);
    try (RunningGroup running = RunningGroup.start(group)) {
      fetch(port.getHost().getPort()); // the first connection may load what the JDK then keeps open
      settle(running, group);
      long before = openDescriptors();
      Map<String, Integer> served = new TreeMap<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        served.merge(fetch(port.getHost().getPort()), 1, Integer::sum);
      }

      assertThat(served).containsOnlyKeys("braid-reactor-1", "braid-reactor-2");
      if (sharing == PortSharing.ACCEPTOR) {
        assertThat(served.values()).containsOnly(CONNECTIONS / 2);
      }
      settle(running, group);
      if (reactorsAreNative(group)) {
        // Listening sockets only: the acceptor's one, or one per reactor with SO_REUSEPORT.
        assertThat(nativeSockets(running, group.reactor(0))).isOne();
        assertThat(nativeSockets(running, group.reactor(1)))
            .isEqualTo(sharing == PortSharing.KERNEL ? 1 : 0);
      }
      // A leak would leave one descriptor per connection; the JVM may release or open one or two of
      // its own meanwhile (a cleaner closing what an earlier test dropped), so a small slack.
      assertThat(openDescriptors()).isBetween(before - 2, before + 2);
      RunningReactor.get(port.stopListening());
      if (reactorsAreNative(group)) {
        assertThat(nativeSockets(running, group.reactor(0))).isZero();
        assertThat(nativeSockets(running, group.reactor(1))).isZero();
      }
    }
  }

  /**
   * Checks that no reactor of the group holds a connection any more, and lets each turn its loop
   * once more: {@code java.nio} closes a registered channel's descriptor at its selector's next
   * select.
   */
  private static void settle(RunningGroup running, ReactorGroup group) {
    for (SelectorReactor reactor : group.reactors()) {
      assertThat(running.call(reactor, reactor::openConnections)).isEmpty();
      running.call(reactor, () -> null);
    }
  }

  private static boolean reactorsAreNative(ReactorGroup group) {
    return group.reactors().stream().allMatch(r -> r.ioBackend() == IoBackend.NATIVE);
  }

  @Test
  void aGroupIsOnOneTransport() {
    assumeThat(IoBackend.NATIVE.isAvailable()).as("the native transport loads here").isTrue();
    List<SelectorReactor> mixed =
        List.of(SelectorReactor.create(IoBackend.NATIVE), SelectorReactor.create(IoBackend.NIO));
    assertThatThrownBy(() -> ReactorGroup.of(mixed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must all be on one transport")
        .hasMessageContaining("on native")
        .hasMessageEndingWith(" on nio");
    for (IoBackend backend : IoBackend.values()) {
      assertThat(ReactorGroup.create(2, backend).reactors())
          .extracting(SelectorReactor::ioBackend)
          .containsOnly(backend);
    }
  }
}
