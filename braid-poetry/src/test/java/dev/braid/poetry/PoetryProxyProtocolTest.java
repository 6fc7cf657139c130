package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionLost;
import dev.braid.test.BraidExtension;
import dev.braid.test.StringTransport;
import dev.braid.test.log.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BraidExtension.class)
class PoetryProxyProtocolTest {
  static final byte[] POEM = "crème brûlée".getBytes(StandardCharsets.UTF_8);

  final ProxyServiceTest.FakeUpstream upstream = new ProxyServiceTest.FakeUpstream();

  ProxyService service;

  PoetryProxyFactory factory(VirtualClock clock) {
    service = ProxyService.create(clock, upstream, Duration.ofHours(2));
    return PoetryProxyFactory.create(service);
  }

  StringTransport connect(PoetryProxyFactory f) {
    StringTransport t = StringTransport.create();
    t.connect(f.buildProtocol(StringTransport.DEFAULT_PEER));
    return t;
  }

  @Test
  void eachClientGetsThePoemAndTheConnectionCloses(VirtualClock clock) {
    PoetryProxyFactory f = factory(clock);
    StringTransport a = connect(f);
    StringTransport b = connect(f);
    assertThat(upstream.fetches).hasSize(1);
    upstream.last().callback(POEM);
    for (StringTransport t : new StringTransport[] {a, b}) {
      assertThat(t.value()).isEqualTo(POEM);
      assertThat(t.isDisconnecting()).isTrue();
      assertThat(t.isDisconnected()).as("a clean close, not an abort").isFalse();
    }
    StringTransport cached = connect(f);
    assertThat(cached.value()).as("from the cache, at once").isEqualTo(POEM);
    assertThat(upstream.fetches).hasSize(1);
  }

  @Test
  void aFailedFetchResetsEveryClientsConnectionSoNoEmptyPoemLooksWhole(
      VirtualClock clock, LogCapture logs) {
    PoetryProxyFactory f = factory(clock);
    StringTransport a = connect(f);
    StringTransport b = connect(f);
    upstream.last().errback(new ConnectionLost("Connection reset by peer", null));
    assertThat(a.value()).isEmpty();
    assertThat(a.isDisconnected()).as("aborted").isTrue();
    assertThat(b.isDisconnected()).as("aborted").isTrue();
    assertThat(service.isCached()).isFalse();
    assertThat(ProxyLog.warnings(logs))
        .containsExactly(ProxyLog.FETCH_FAILED + "Connection reset by peer");
  }

  @Test
  void aProxyThatShutsDownResetsItsWaitingClientsInsteadOfSendingThemAnEmptyPoem(
      VirtualClock clock) {
    PoetryProxyFactory f = factory(clock);
    StringTransport a = connect(f);
    StringTransport b = connect(f);
    Deferred<byte[]> fetch = upstream.last();
    service.shutDown();
    for (StringTransport t : new StringTransport[] {a, b}) {
      assertThat(t.value()).isEmpty();
      assertThat(t.isDisconnected()).as("aborted").isTrue();
      assertThat(t.loseConnectionCalls()).as("never closed cleanly").isZero();
    }
    assertThat(upstream.cancelled).isEqualTo(1);
    assertThat(fetch.isCalled()).isTrue();
    assertThat(service.isCached()).isFalse();
  }

  @Test
  void aClientThatLeavesCancelsOnlyItsOwnWaiter(VirtualClock clock) {
    PoetryProxyFactory f = factory(clock);
    StringTransport leaving = connect(f);
    StringTransport staying = connect(f);
    leaving.protocol().connectionLost(new ConnectionDone());
    assertThat(service.waiterCount()).isEqualTo(1);
    assertThat(upstream.cancelled).isZero();
    upstream.last().callback(POEM);
    assertThat(staying.value()).isEqualTo(POEM);
    assertThat(leaving.value()).isEmpty();
  }

  @Test
  void whenEveryClientLeavesTheUpstreamFetchIsCancelled(VirtualClock clock) {
    PoetryProxyFactory f = factory(clock);
    StringTransport a = connect(f);
    StringTransport b = connect(f);
    Deferred<byte[]> fetch = upstream.last();
    a.protocol().connectionLost(new ConnectionDone());
    b.protocol().connectionLost(new ConnectionLost("Connection reset by peer", null));
    assertThat(upstream.cancelled).isEqualTo(1);
    assertThat(fetch.isCalled()).as("cancelled").isTrue();
    assertThat(service.isFetching()).isFalse();
  }
}
