package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.VirtualClock;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.test.MemoryPort;
import dev.braid.test.MemoryReactor;
import dev.braid.test.StringTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policies under a VirtualClock: no sleeps. */
class PoliciesTest {
  private final VirtualClock clock = VirtualClock.create();

  /** A line protocol that records lines and how it ended. */
  static final class Lines extends LineReceiver {
    final List<String> received = new ArrayList<>();
    ConnectionEnd lost;

    @Override
    protected void lineReceived(byte[] line) {
      received.add(s(line));
      if (s(line).equals("echo")) {
        sendLine(line);
      }
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      lost = reason;
    }
  }

  private static StringTransport connect(Factory factory) {
    StringTransport t = StringTransport.withDisconnection();
    t.connect(factory.buildProtocol(StringTransport.DEFAULT_PEER));
    return t;
  }

  private static Lines inner(StringTransport t) {
    Protocol p = t.protocol();
    while (p instanceof ProtocolWrapper wrapper) {
      p = wrapper.wrapped();
    }
    return (Lines) p;
  }

  // ---- idle timeout

  @Test
  void anIdleConnectionIsClosedCleanlyAfterTheTimeout() {
    StringTransport t =
        connect(Policies.idleTimeout(a -> new Lines(), clock, Duration.ofSeconds(30)));
    clock.advance(29.9);
    assertThat(t.isDisconnecting()).isFalse();
    clock.advance(0.1);
    assertThat(t.loseConnectionCalls()).isEqualTo(1);
    assertThat(inner(t).lost).isInstanceOf(ConnectionDone.class);
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void receivedDataAndWritesResetTheIdleTimeout() {
    StringTransport t =
        connect(Policies.idleTimeout(a -> new Lines(), clock, Duration.ofSeconds(30)));
    clock.advance(20);
    t.protocol().dataReceived(b("hello\r\n"));
    clock.advance(20);
    t.protocol().dataReceived(b("echo\r\n"));
    assertThat(s(t.value())).isEqualTo("echo\r\n");
    clock.advance(29);
    assertThat(t.isDisconnecting()).isFalse();
    inner(t).sendLine(b("still here"));
    clock.advance(29);
    assertThat(t.isDisconnecting()).isFalse();
    clock.advance(1);
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void aConnectionLostEarlyLeavesNoTimerBehind() {
    StringTransport t =
        connect(Policies.idleTimeout(a -> new Lines(), clock, Duration.ofSeconds(30)));
    t.connectionLost(new ConnectionDone());
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void aConnectionStillThereAnIdlePeriodAfterItsCleanCloseIsAborted() {
    // A plain StringTransport records loseConnection() and stays open: a peer that does not read.
    StringTransport t = StringTransport.create();
    t.connect(
        Policies.idleTimeout(a -> new Lines(), clock, Duration.ofSeconds(30))
            .buildProtocol(StringTransport.DEFAULT_PEER));
    clock.advance(30);
    assertThat(t.loseConnectionCalls()).isEqualTo(1);
    assertThat(t.isDisconnected()).isFalse();
    clock.advance(29.9);
    assertThat(t.isDisconnected()).isFalse();
    clock.advance(0.1);
    assertThat(t.isDisconnected()).as("aborted").isTrue();
    assertThat(t.loseConnectionCalls()).isEqualTo(1);
    t.connectionLost(new ConnectionAborted());
    assertThat(inner(t).lost).isInstanceOf(ConnectionAborted.class);
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void anIdleConnectionAlreadyClosingIsAbortedAtOnce() {
    StringTransport t = StringTransport.create();
    t.connect(
        Policies.idleTimeout(a -> new Lines(), clock, Duration.ofSeconds(30))
            .buildProtocol(StringTransport.DEFAULT_PEER));
    inner(t).sendLine(b("bye"));
    t.loseConnection(); // the protocol closes; the peer never reads the reply
    clock.advance(30);
    assertThat(t.isDisconnected()).isTrue();
    t.connectionLost(new ConnectionAborted());
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void idleResetAbortsAnIdleConnectionAtOnceInsteadOfClosingItCleanly() {
    StringTransport t =
        connect(Policies.idleReset(a -> new Lines(), clock, Duration.ofSeconds(30)));
    clock.advance(20);
    t.protocol().dataReceived(b("hello\r\n"));
    clock.advance(29.9);
    assertThat(t.isDisconnecting()).isFalse();
    clock.advance(0.1);
    assertThat(t.loseConnectionCalls()).as("never a clean close").isZero();
    assertThat(inner(t).lost).isInstanceOf(ConnectionAborted.class);
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  // ---- frame deadline

  @Test
  void aPeerTricklingALineIsAbortedAtTheFrameDeadlineThoughNeverIdle() {
    Factory guarded =
        Policies.idleTimeout(
            Policies.frameDeadline(a -> new Lines(), clock, Duration.ofSeconds(10)),
            clock,
            Duration.ofSeconds(5));
    StringTransport t = connect(guarded);
    for (int second = 0; second < 9; second++) {
      t.protocol().dataReceived(b("x"));
      clock.advance(1);
      assertThat(t.isDisconnected()).as("after %d s", second + 1).isFalse();
    }
    t.protocol().dataReceived(b("x"));
    clock.advance(1);
    assertThat(t.isDisconnected()).isTrue();
    assertThat(inner(t).lost).isInstanceOf(ConnectionAborted.class);
    assertThat(inner(t).received).isEmpty();
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void framesCompletedInTimeAreNotCutAndEachNewFrameGetsItsOwnDeadline() {
    StringTransport t =
        connect(Policies.frameDeadline(a -> new Lines(), clock, Duration.ofSeconds(10)));
    t.protocol().dataReceived(b("one"));
    clock.advance(9);
    t.protocol().dataReceived(b("\r\ntw"));
    clock.advance(9);
    t.protocol().dataReceived(b("o\r\n"));
    assertThat(clock.getDelayedCalls()).isEmpty();
    clock.advance(100);
    assertThat(t.isDisconnected()).isFalse();
    assertThat(inner(t).received).containsExactly("one", "two");
  }

  @Test
  void theDeadlineRunsFromTheFirstByteNotFromTheLastRead() {
    StringTransport t =
        connect(Policies.frameDeadline(a -> new Lines(), clock, Duration.ofSeconds(10)));
    t.protocol().dataReceived(b("a"));
    clock.advance(6);
    t.protocol().dataReceived(b("b"));
    clock.advance(4);
    assertThat(t.isDisconnected()).isTrue();
  }

  @Test
  void aFrameDeadlineNeedsAFramedProtocol() {
    Factory plain =
        Policies.frameDeadline(a -> new BaseProtocol() {}, clock, Duration.ofSeconds(1));
    assertThatThrownBy(() -> plain.buildProtocol(StringTransport.DEFAULT_PEER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Framed");
  }

  @Test
  void policiesRejectNonPositiveDurations() {
    assertThatThrownBy(() -> Policies.idleTimeout(a -> null, clock, Duration.ZERO))
        .hasMessage("idle timeout must be positive: PT0S");
  }

  // ---- connection limits

  private static InetSocketAddress peer(int lastOctet, int port) throws Exception {
    return new InetSocketAddress(
        InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) lastOctet}), port);
  }

  @Test
  void connectionsOverTheTotalLimitAreRefusedUntilOneCloses() throws Exception {
    MemoryReactor reactor = MemoryReactor.create(clock);
    ConnectionLimiter limiter =
        Policies.limitConnections(a -> new Lines(), ConnectionLimits.total(2));
    MemoryPort port = reactor.listenTCP(0, limiter);
    StringTransport first = port.accept(peer(1, 1000));
    StringTransport second = port.accept(peer(2, 1000));
    StringTransport third = port.accept(peer(3, 1000));
    assertThat(third.protocol()).isNull();
    assertThat(third.isDisconnecting()).isTrue();
    assertThat(limiter.connectionCount()).isEqualTo(2);

    first.loseConnection();
    assertThat(limiter.connectionCount()).isEqualTo(1);
    StringTransport fourth = port.accept(peer(3, 1001));
    assertThat(fourth.protocol()).isNotNull();

    second.loseConnection();
    fourth.abortConnection();
    assertThat(limiter.connectionCount()).isZero();
    port.stopListening();
    assertThat(reactor.leftovers()).isEmpty();
  }

  @Test
  void connectionsOverThePerPeerLimitAreRefusedWhileOtherPeersGetIn() throws Exception {
    ConnectionLimiter limiter =
        Policies.limitConnections(a -> new Lines(), ConnectionLimits.perPeer(2));
    MemoryPort port = MemoryReactor.create(clock).listenTCP(0, limiter);
    StringTransport a1 = port.accept(peer(1, 1000));
    StringTransport a2 = port.accept(peer(1, 1001));
    StringTransport a3 = port.accept(peer(1, 1002));
    StringTransport b1 = port.accept(peer(2, 1000));
    assertThat(a3.protocol()).isNull();
    assertThat(b1.protocol()).isNotNull();
    assertThat(limiter.connectionCount(peer(1, 9))).isEqualTo(2);
    assertThat(limiter.connectionCount(peer(2, 9))).isEqualTo(1);

    a1.connectionLost(new ConnectionDone());
    a2.connectionLost(new ConnectionDone());
    b1.connectionLost(new ConnectionDone());
    assertThat(limiter.connectionCount()).isZero();
    assertThat(limiter.connectionCount(peer(1, 9))).isZero();
  }

  @Test
  void anOverflowFactoryServesConnectionsOverTheLimitWithoutCountingThem() {
    Factory busy =
        a ->
            new BaseProtocol() {
              @Override
              protected void connectionMade() {
                transport().write(b("busy\r\n"));
                transport().loseConnection();
              }
            };
    ConnectionLimiter limiter =
        Policies.limitConnections(a -> new Lines(), ConnectionLimits.total(1)).withOverflow(busy);
    StringTransport first = connect(limiter);
    StringTransport second = connect(limiter);
    assertThat(first.isDisconnecting()).isFalse();
    assertThat(s(second.value())).isEqualTo("busy\r\n");
    assertThat(second.isDisconnecting()).isTrue();
    assertThat(limiter.connectionCount()).isEqualTo(1);
  }

  @Test
  void aRefusalByTheWrappedFactoryIsNotCounted() {
    ConnectionLimiter limiter =
        Policies.limitConnections(a -> (Protocol) null, ConnectionLimits.total(1));
    assertThat(limiter.buildProtocol(StringTransport.DEFAULT_PEER)).isNull();
    assertThat(limiter.connectionCount()).isZero();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> ConnectionLimits.total(0))
        .hasMessage("total limit must be at least 1: 0");
  }
}
