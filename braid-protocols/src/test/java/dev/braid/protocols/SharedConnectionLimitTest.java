package dev.braid.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.VirtualClock;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionDone;
import dev.braid.net.Protocol;
import dev.braid.test.MemoryPort;
import dev.braid.test.MemoryReactor;
import dev.braid.test.StringTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Limiters of several reactors counting against one shared limit. */
class SharedConnectionLimitTest {
  private final VirtualClock clock = VirtualClock.create();

  /** A protocol that does nothing. */
  private static final class Quiet extends BaseProtocol {}

  private static InetSocketAddress peer(int lastOctet, int port) throws Exception {
    return new InetSocketAddress(
        InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) lastOctet}), port);
  }

  @Test
  void theTotalHoldsAcrossTheLimitersOfSeveralReactors() throws Exception {
    SharedConnectionLimit limit = SharedConnectionLimit.of(ConnectionLimits.total(3));
    MemoryPort one = MemoryReactor.create(clock).listenTCP(0, limit.limit(a -> new Quiet()));
    MemoryPort two = MemoryReactor.create(clock).listenTCP(0, limit.limit(a -> new Quiet()));

    StringTransport a = one.accept(peer(1, 1000));
    StringTransport b = one.accept(peer(2, 1000));
    StringTransport c = two.accept(peer(3, 1000));
    StringTransport refusedOnTwo = two.accept(peer(4, 1000));
    StringTransport refusedOnOne = one.accept(peer(4, 1001));

    assertThat(List.of(a, b, c)).allSatisfy(t -> assertThat(t.protocol()).isNotNull());
    assertThat(refusedOnTwo.protocol()).isNull();
    assertThat(refusedOnOne.protocol()).isNull();
    assertThat(limit.connectionCount()).isEqualTo(3);

    a.loseConnection(); // frees a place for either reactor
    StringTransport d = two.accept(peer(4, 1002));
    assertThat(d.protocol()).isNotNull();
    assertThat(limit.connectionCount()).isEqualTo(3);

    b.loseConnection();
    c.loseConnection();
    d.loseConnection();
    assertThat(limit.connectionCount()).isZero();
  }

  @Test
  void thePerPeerLimitHoldsAcrossReactorsAndAnOverflowFactoryKeepsSharing() throws Exception {
    SharedConnectionLimit limit = SharedConnectionLimit.of(ConnectionLimits.perPeer(2));
    List<String> overflowed = new ArrayList<>();
    ConnectionLimiter first =
        limit
            .limit(a -> new Quiet())
            .withOverflow(
                a ->
                    new BaseProtocol() {
                      @Override
                      protected void connectionMade() {
                        overflowed.add("first");
                      }
                    });
    ConnectionLimiter second = limit.limit(a -> new Quiet());
    MemoryPort one = MemoryReactor.create(clock).listenTCP(0, first);
    MemoryPort two = MemoryReactor.create(clock).listenTCP(0, second);

    StringTransport x1 = one.accept(peer(1, 1000));
    StringTransport x2 = two.accept(peer(1, 1001));
    StringTransport x3 = one.accept(peer(1, 1002));
    StringTransport x4 = two.accept(peer(1, 1003));
    StringTransport y1 = two.accept(peer(2, 1000));

    assertThat(overflowed).containsExactly("first");
    assertThat(x4.protocol()).isNull();
    assertThat(y1.protocol()).isNotNull();
    assertThat(limit.connectionCount(peer(1, 9))).isEqualTo(2);
    assertThat(first.connectionCount()).isEqualTo(3).isEqualTo(second.connectionCount());

    x1.connectionLost(new ConnectionDone());
    x2.connectionLost(new ConnectionDone());
    y1.connectionLost(new ConnectionDone());
    assertThat(x3.isDisconnecting()).isFalse();
    assertThat(limit.connectionCount(peer(1, 9))).isZero();
    assertThat(limit.connectionCount()).isZero();
  }

  @Test
  void aRefusalOrAThrowOfTheWrappedFactoryIsNotCounted() throws Exception {
    SharedConnectionLimit limit = SharedConnectionLimit.of(ConnectionLimits.total(1));
    assertThat(limit.limit(a -> (Protocol) null).buildProtocol(peer(1, 1))).isNull();
    ConnectionLimiter throwing =
        limit.limit(
            a -> {
              throw new IllegalStateException("no");
            });
    try {
      throwing.buildProtocol(peer(1, 2));
    } catch (IllegalStateException expected) {
      // counted back
    }
    assertThat(limit.connectionCount()).isZero();
    assertThat(limit.connectionCount(peer(1, 9))).isZero();
  }

  @Test
  void threadsOpeningAndClosingAtOnceNeverExceedTheLimits() throws Exception {
    SharedConnectionLimit limit =
        SharedConnectionLimit.of(ConnectionLimits.total(5).withPerPeer(3));
    AtomicInteger open = new AtomicInteger();
    AtomicInteger mostOpen = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int index = t;
      ConnectionLimiter limiter = limit.limit(a -> new Quiet());
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 20_000; i++) {
                      InetSocketAddress address =
                          new InetSocketAddress("10.0.0." + (i % 2), 1000 + index);
                      Protocol p = limiter.buildProtocol(address);
                      if (p == null) {
                        continue;
                      }
                      accepted.incrementAndGet();
                      mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                      open.decrementAndGet();
                      p.connectionLost(new ConnectionDone());
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(accepted.get()).isPositive();
    assertThat(mostOpen.get()).isLessThanOrEqualTo(5);
    assertThat(limit.connectionCount()).isZero();
    assertThat(limit.connectionCount(new InetSocketAddress("10.0.0.0", 1))).isZero();
  }
}
