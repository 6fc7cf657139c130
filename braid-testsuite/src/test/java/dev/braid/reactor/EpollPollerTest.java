package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The native poller's ownership of descriptors, on the test's thread: a closed socket never touches
 * its old descriptor again, and an event that {@code epoll_wait} returned for a socket closed
 * meanwhile is dropped, even when the kernel has already given the same number to a new socket (the
 * classic bug of hand-written epoll loops); a connection handed to another reactor's poller is
 * owned by exactly one poller at a time, and closed once.
 */
@Tag("loopback")
class EpollPollerTest {
  private EpollPoller poller;
  private ListenSocket listener;
  private final List<Socket> peers = new ArrayList<>();

  /** Records which sockets were told of readiness, and can act when told. */
  private static final class Handler implements IoHandler {
    final String name;
    final List<String> log;
    Runnable onReady = () -> {};

    Handler(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @Override
    public void handleReady(int readyOps) {
      log.add(name);
      onReady.run();
    }

    @Override
    public void handlerFailed(Throwable error) {
      log.add(name + " failed: " + error);
    }
  }

  @BeforeEach
  void open() throws IOException {
    assumeThat(IoBackend.NATIVE.isAvailable()).as("the native transport loads here").isTrue();
    poller = EpollPoller.open();
    listener =
        poller.listen(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), /* backlog */ 16, false);
  }

  @AfterEach
  void close() throws IOException {
    for (Socket peer : peers) {
      peer.close();
    }
    if (poller != null) {
      poller.close();
      assertThat(poller.openSockets()).isZero();
    }
  }

  /** Connects a blocking peer, accepts it and returns the accepted end, not yet watched. */
  private StreamSocket acceptOne() throws IOException {
    Socket peer = new Socket();
    peers.add(peer);
    peer.connect(listener.localAddress());
    StreamSocket accepted = listener.accept(); // the connection is queued once connect returns
    assertThat(accepted).isNotNull();
    return accepted;
  }

  private static void send(Socket peer, int b) throws IOException {
    OutputStream out = peer.getOutputStream();
    out.write(b);
    out.flush();
  }

  @Test
  void aClosedSocketNeverUsesItsDescriptorAgain() throws IOException {
    StreamSocket socket = acceptOne();
    assertThat(poller.openSockets()).isEqualTo(2); // the listener and the connection
    socket.close();
    socket.close(); // a second close does nothing
    assertThat(socket.isOpen()).isFalse();
    assertThat(poller.openSockets()).isEqualTo(1);
    ByteBuffer buffer = ByteBuffer.allocateDirect(16);
    assertThatThrownBy(() -> socket.read(buffer)).isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(() -> socket.write(buffer)).isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(() -> socket.write(new byte[1], 0, 1, buffer))
        .isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.TCP_NODELAY, true))
        .isInstanceOf(ClosedChannelException.class);
    socket.interestOps(SelectionKey.OP_READ); // ignored once closed
    List<String> log = new ArrayList<>();
    poller.poll(0, (handler, ops) -> log.add(handler.toString()));
    assertThat(log).isEmpty();
  }

  @Test
  void anEventForASocketClosedInTheSameWaitIsDroppedEvenIfItsNumberIsReused() throws IOException {
    List<String> log = new ArrayList<>();
    StreamSocket first = acceptOne();
    StreamSocket second = acceptOne();
    Handler a = new Handler("a", log);
    Handler b = new Handler("b", log);
    first.attach(a);
    second.attach(b);
    first.interestOps(SelectionKey.OP_READ);
    second.interestOps(SelectionKey.OP_READ);
    send(peers.get(0), 1);
    send(peers.get(1), 2);
    // A third connection waits in the backlog, so that accepting it opens no other descriptor.
    Socket third = new Socket();
    peers.add(third);
    third.connect(listener.localAddress());
    send(third, 3);
    // Whichever is told first closes the other, and the third takes its slot in the poller's table
    // (and, the kernel giving the lowest free number, its descriptor's number too).
    StreamSocket[] reused = new StreamSocket[1];
    int[] freed = new int[2];
    Handler c = new Handler("c", log);
    Runnable closeTheOther =
        () -> {
          try {
            EpollSocket other = (EpollSocket) (log.get(0).equals("a") ? second : first);
            freed[0] = other.slot;
            freed[1] = other.fd;
            other.close();
            reused[0] = listener.accept();
            reused[0].attach(c);
            reused[0].interestOps(SelectionKey.OP_READ);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        };
    a.onReady = closeTheOther;
    b.onReady = closeTheOther;
    while (log.isEmpty()) {
      poller.poll(10_000, (handler, ops) -> handler.handleReady(ops));
    }
    assertThat(log).hasSize(1).containsAnyOf("a", "b"); // the other's event was dropped
    assertThat(reused[0]).isNotNull();
    assertThat(((EpollSocket) reused[0]).slot).isEqualTo(freed[0]);
    assertThat(((EpollSocket) reused[0]).fd).isEqualTo(freed[1]);
    a.onReady = () -> {};
    b.onReady = () -> {};
    while (!log.contains("c")) {
      poller.poll(10_000, (handler, ops) -> handler.handleReady(ops));
    }
    assertThat(log).doesNotContain(log.get(0).equals("a") ? "b" : "a");
    assertThat(poller.openSockets()).isEqualTo(3); // listener, survivor, the new one
  }

  /** Reads one byte from {@code peer}: -1 once the other end has closed. */
  private static int receive(Socket peer) throws IOException {
    peer.setSoTimeout(10_000);
    InputStream in = peer.getInputStream();
    return in.read();
  }

  @Test
  void aConnectionHandedToAnotherPollerLeavesTheFirstOneAndIsOwnedByTheSecondOnly()
      throws IOException {
    StreamSocket accepted = acceptOne();
    DetachedSocket handed = accepted.detach();
    assertThat(poller.openSockets()).isEqualTo(1); // the listener: the connection left the table
    assertThat(accepted.isOpen()).isFalse();
    accepted.close(); // does nothing: the descriptor is not this object's any more
    assertThatThrownBy(() -> accepted.write(new byte[1], 0, 1, ByteBuffer.allocateDirect(1)))
        .isInstanceOf(ClosedChannelException.class);
    EpollPoller other = EpollPoller.open();
    try {
      StreamSocket served = handed.attachTo(other);
      assertThat(other.openSockets()).isEqualTo(1);
      poller.close(); // closes what its table holds: not the connection handed over
      assertThat(served.write(new byte[] {42}, 0, 1, ByteBuffer.allocateDirect(1))).isOne();
      assertThat(receive(peers.get(0))).isEqualTo(42);
      served.close();
      assertThat(other.openSockets()).isZero();
      assertThat(receive(peers.get(0))).isEqualTo(-1);
    } finally {
      other.close();
    }
  }

  @Test
  void aConnectionHandedOverAndDroppedIsClosedFromAnyThread() throws Exception {
    DetachedSocket handed = acceptOne().detach();
    CompletableFuture.runAsync(handed::close).get();
    handed.close(); // once only
    assertThat(receive(peers.get(0))).isEqualTo(-1);
    assertThat(poller.openSockets()).isEqualTo(1);
  }

  @Test
  void aNativeConnectionCannotBeServedByAJavaNioPollerAndIsClosedInstead() throws IOException {
    DetachedSocket handed = acceptOne().detach();
    NioPoller nio = NioPoller.open(java.nio.channels.SocketChannel::open);
    try {
      assertThatThrownBy(() -> handed.attachTo(nio))
          .isInstanceOf(IOException.class)
          .hasMessage("a connection accepted on the native transport cannot be served on nio");
    } finally {
      nio.close();
    }
    assertThat(receive(peers.get(0))).isEqualTo(-1);
  }

  @Test
  void onlyASocketJustAcceptedCanBeHandedOver() throws IOException {
    StreamSocket watched = acceptOne();
    watched.attach(new Handler("w", new ArrayList<>()));
    watched.interestOps(SelectionKey.OP_READ);
    assertThatThrownBy(watched::detach).isInstanceOf(IllegalStateException.class);
    StreamSocket closed = acceptOne();
    closed.close();
    assertThatThrownBy(closed::detach).isInstanceOf(IllegalStateException.class);
  }
}
