package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.test.DeferredAssertions.assertNoResult;
import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.test.MemoryPort;
import dev.braid.test.MemoryReactor;
import dev.braid.test.StringTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drain on a MemoryReactor and its virtual clock: no sockets, no sleeps. */
class ConnectionDrainTest {
  private final MemoryReactor reactor = MemoryReactor.create();
  private final ConnectionDrain drain = ConnectionDrain.create(reactor);
  private final List<Reply> built = new ArrayList<>();
  private int buildCalls;

  /** A server that writes the first half of its reply at once and the rest when told. */
  final class Reply extends BaseProtocol {
    ConnectionEnd lost;

    @Override
    protected void connectionMade() {
      transport().write(b("first half, "));
    }

    void finish() {
      transport().write(b("second half"));
      transport().loseConnection();
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      lost = reason;
    }
  }

  private final Factory server =
      address -> {
        buildCalls++;
        Reply r = new Reply();
        built.add(r);
        return r;
      };

  private MemoryPort listen() {
    MemoryPort port = reactor.listenTCP(10000, drain.track(server));
    drain.addPort(port);
    return port;
  }

  @Test
  void withNoConnectionOpenTheDrainClosesThePortsAndFiresAtOnce() {
    MemoryPort port = listen();
    Deferred<Integer> done = drain.drain(Duration.ofSeconds(5));
    assertThat(successResultOf(done)).as("nothing reset").isZero();
    assertThat(port.isListening()).isFalse();
    assertThat(drain.isDraining()).isTrue();
    assertThat(reactor.getDelayedCalls()).as("no grace timer left").isEmpty();
  }

  @Test
  void aConnectionThatFinishesWithinTheGraceIsNotResetAndTheDrainFiresWhenItIsLost() {
    MemoryPort port = listen();
    StringTransport t = port.accept();
    assertThat(drain.connectionCount()).isEqualTo(1);
    Deferred<Integer> done = drain.drain(Duration.ofSeconds(5));
    assertThat(port.isListening()).as("stopped accepting at once").isFalse();
    reactor.advance(4.9);
    assertNoResult(done);
    built.get(0).finish();
    assertThat(t.valueUtf8()).isEqualTo("first half, second half");
    assertThat(t.lostReason())
        .as("closed cleanly, by the server")
        .isInstanceOf(ConnectionDone.class);
    assertThat(successResultOf(done)).as("nothing reset").isZero();
    assertThat(drain.connectionCount()).isZero();
    assertThat(reactor.getDelayedCalls()).as("the grace timer is cancelled").isEmpty();
  }

  @Test
  void whenTheGraceExpiresTheConnectionsLeftAreResetNotClosed() {
    MemoryPort port = listen();
    StringTransport quick = port.accept();
    StringTransport slow = port.accept();
    Deferred<Integer> done = drain.drain(Duration.ofSeconds(5));
    built.get(0).finish();
    reactor.advance(4.999);
    assertNoResult(done);
    assertThat(slow.isDisconnecting()).isFalse();
    reactor.advance(0.001);
    assertThat(slow.valueUtf8()).isEqualTo("first half, ");
    assertThat(slow.lostReason()).as("reset").isInstanceOf(ConnectionAborted.class);
    assertThat(slow.loseConnectionCalls()).as("never closed cleanly").isZero();
    assertThat(built.get(1).lost).isInstanceOf(ConnectionAborted.class);
    assertThat(quick.lostReason()).isInstanceOf(ConnectionDone.class);
    assertThat(successResultOf(done)).as("one connection reset").isEqualTo(1);
    assertThat(drain.connectionCount()).isZero();
  }

  @Test
  void aZeroGraceResetsEveryConnectionAtOnce() {
    MemoryPort port = listen();
    StringTransport a = port.accept();
    StringTransport b = port.accept();
    Deferred<Integer> done = drain.drain(Duration.ZERO);
    assertThat(a.lostReason()).isInstanceOf(ConnectionAborted.class);
    assertThat(b.lostReason()).isInstanceOf(ConnectionAborted.class);
    assertThat(successResultOf(done)).isEqualTo(2);
    assertThat(reactor.getDelayedCalls()).isEmpty();
  }

  @Test
  void aConnectionThatArrivesOnceTheDrainHasBegunIsResetWithoutReachingTheServer() {
    Factory tracked = drain.track(server);
    MemoryPort port = reactor.listenTCP(10000, tracked);
    port.accept();
    drain.drain(Duration.ofSeconds(5));
    assertThat(port.isListening()).as("a port not given to addPort stays open").isTrue();
    StringTransport late = port.accept();
    assertThat(late.lostReason()).as("reset at once").isInstanceOf(ConnectionAborted.class);
    assertThat(late.value()).isEmpty();
    assertThat(buildCalls).as("the server never built a protocol for it").isEqualTo(1);
    assertThat(drain.connectionCount()).as("not tracked").isEqualTo(1);
    reactor.advance(5);
  }

  @Test
  void aPortAddedOnceTheDrainHasBegunIsClosedAtOnce() {
    drain.drain(Duration.ofSeconds(5));
    MemoryPort port = reactor.listenTCP(10000, drain.track(server));
    assertThat(drain.addPort(port)).isSameAs(port);
    assertThat(port.isListening()).isFalse();
  }

  @Test
  void aRefusalByTheServersFactoryIsPassedOn() {
    Protocol refused = drain.track(address -> null).buildProtocol(StringTransport.DEFAULT_PEER);
    assertThat(refused).isNull();
  }

  @Test
  void theGraceActionsRunBeforeTheResetsAndOnlyIfConnectionsAreLeft() {
    MemoryPort port = listen();
    StringTransport t = port.accept();
    List<String> seen = new ArrayList<>();
    drain
        .whenGraceExpires(() -> seen.add("first, open=" + !t.isDisconnected()))
        .whenGraceExpires(() -> seen.add("second, open=" + !t.isDisconnected()));
    drain.drain(Duration.ofSeconds(1));
    reactor.advance(1);
    assertThat(seen).containsExactly("first, open=true", "second, open=true");

    ConnectionDrain idle = ConnectionDrain.create(reactor);
    idle.whenGraceExpires(() -> seen.add("never"));
    successResultOf(idle.drain(Duration.ZERO));
    assertThat(seen).hasSize(2);
  }

  @Test
  void anActionMayEndTheConnectionsItselfAndTheDrainStillFires() {
    MemoryPort port = listen();
    StringTransport t = port.accept();
    drain.whenGraceExpires(() -> built.get(0).finish());
    Deferred<Integer> done = drain.drain(Duration.ofSeconds(1));
    reactor.advance(1);
    assertThat(t.lostReason()).isInstanceOf(ConnectionDone.class);
    assertThat(successResultOf(done))
        .as("counted: still open when the grace expired, though the action ended it")
        .isEqualTo(1);
  }

  @Test
  void anActionThatThrowsDoesNotStopTheResetsAndFailsTheDrain() {
    MemoryPort port = listen();
    StringTransport t = port.accept();
    List<String> seen = new ArrayList<>();
    drain
        .whenGraceExpires(
            () -> {
              throw new IllegalStateException("broken action");
            })
        .whenGraceExpires(() -> seen.add("ran"));
    Deferred<Integer> done = drain.drain(Duration.ZERO);
    assertThat(seen).containsExactly("ran");
    assertThat(t.lostReason()).isInstanceOf(ConnectionAborted.class);
    assertThat(failureResultOf(done, IllegalStateException.class).getErrorMessage())
        .isEqualTo("broken action");
  }

  @Test
  void aSecondDrainJoinsTheFirstAndKeepsItsGrace() {
    MemoryPort port = listen();
    port.accept();
    Deferred<Integer> first = drain.drain(Duration.ofSeconds(5));
    Deferred<Integer> second = drain.drain(Duration.ZERO);
    assertNoResult(second);
    reactor.advance(5);
    assertThat(successResultOf(first)).isEqualTo(1);
    assertThat(successResultOf(second)).isEqualTo(1);
    assertThat(successResultOf(drain.drain(Duration.ZERO))).as("after it finished").isEqualTo(1);
  }

  @Test
  void installOnDrainsInTheBeforePhaseOfShutdown() {
    MemoryPort port = listen();
    StringTransport t = port.accept();
    Object handle = drain.installOn(reactor, Duration.ofSeconds(2));
    assertThat(handle).isNotNull();
    reactor.run(); // runs the callWhenRunning calls (none), then stop(): the triggers
    assertThat(port.isListening()).isFalse();
    assertThat(drain.isDraining()).isTrue();
    assertThat(t.isDisconnecting()).isFalse();
    reactor.advance(2);
    assertThat(t.lostReason()).isInstanceOf(ConnectionAborted.class);
  }

  @Test
  void aNegativeGraceIsRefused() {
    assertThatThrownBy(() -> drain.drain(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grace must not be negative: PT-1S");
    assertThatThrownBy(() -> drain.installOn(reactor, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(drain.isDraining()).isFalse();
  }

  @Test
  void frameProgressIsPassedThroughSoAFrameDeadlineCanWrapTheTrackedFactory() {
    Protocol p =
        drain
            .track(
                address ->
                    new NetstringReceiver() {
                      @Override
                      protected void stringReceived(byte[] string) {}
                    })
            .buildProtocol(StringTransport.DEFAULT_PEER);
    StringTransport t = StringTransport.withDisconnection();
    t.connect(p);
    assertThat(((Framed) p).partialFrameStart()).isEqualTo(-1);
    p.dataReceived(b("5:ab"));
    assertThat(((Framed) p).partialFrameStart()).isZero();
    t.connectionLost(new ConnectionDone());
    assertThat(drain.connectionCount()).isZero();
  }
}
