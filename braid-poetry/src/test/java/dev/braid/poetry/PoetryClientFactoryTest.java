package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.assertNoResult;
import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.DeferredTimeoutException;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.Protocol;
import dev.braid.test.BraidExtension;
import dev.braid.test.MemoryConnector;
import dev.braid.test.MemoryReactor;
import dev.braid.test.StringTransport;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BraidExtension.class)
class PoetryClientFactoryTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void getPoetryFiresWithTheTextWhenTheServerClosesCleanly(MemoryReactor reactor) {
    Deferred<String> poem = PoetryClient.getPoetry(reactor, "poetry.example", 10000);
    MemoryConnector attempt = reactor.connectors().get(0);
    assertThat(attempt.host()).isEqualTo("poetry.example");
    assertThat(attempt.port()).isEqualTo(10000);
    StringTransport t = attempt.complete();
    Protocol p = t.protocol();
    p.dataReceived(utf8("Die Uhr schlägt "));
    p.dataReceived(utf8("zwölf"));
    assertNoResult(poem);
    t.connectionLost(new ConnectionDone());
    assertThat(successResultOf(poem)).isEqualTo("Die Uhr schlägt zwölf");
  }

  @Test
  void aResetBeforeTheCleanCloseIsAFailureSayingHowMuchArrived(MemoryReactor reactor) {
    Deferred<byte[]> poem = PoetryClient.fetch(reactor, "127.0.0.1", 10000, null);
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived(utf8("half a poe"));
    t.connectionLost(new ConnectionLost("Connection reset by peer", null));
    assertThat(failureResultOf(poem, ConnectionLost.class).getErrorMessage())
        .isEqualTo("connection lost after 10 bytes of poetry (Connection reset by peer)");
  }

  @Test
  void aRefusedConnectionFailsWithTheErrorNamingTheAddress(MemoryReactor reactor) {
    Deferred<byte[]> poem = PoetryClient.fetch(reactor, "127.0.0.1", 10002, null);
    reactor
        .connectors()
        .get(0)
        .fail(new ConnectionRefusedError("127.0.0.1:10002: connection refused", null));
    assertThat(failureResultOf(poem, ConnectionRefusedError.class).getErrorMessage())
        .isEqualTo("127.0.0.1:10002: connection refused");
  }

  @Test
  void progressReportsTheBytesSoFar(MemoryReactor reactor) {
    List<Long> progress = new ArrayList<>();
    Deferred<byte[]> poem = PoetryClient.fetch(reactor, "h", 1, progress::add);
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived(new byte[10]);
    t.protocol().dataReceived(new byte[5]);
    t.connectionLost(new ConnectionDone());
    assertThat(progress).containsExactly(10L, 15L);
    assertThat(successResultOf(poem)).hasSize(15);
  }

  @Test
  void aPoemLongerThanTheLimitFailsSayingSoAndAbortsTheConnection(MemoryReactor reactor) {
    Deferred<byte[]> poem = PoetryClient.fetch(reactor, "h", 1, null, 10);
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived(utf8("123456"));
    t.protocol().dataReceived(utf8("7890"));
    assertNoResult(poem);
    t.protocol().dataReceived(utf8("1"));
    assertThat(t.isDisconnected()).as("aborted").isTrue();
    PoemTooLargeException e = (PoemTooLargeException) failureResultOf(poem).value();
    assertThat(e)
        .hasMessage("the poem is larger than the limit of 10 bytes; stopped after 11 bytes");
    assertThat(e.limit()).isEqualTo(10);
    assertThat(e.received()).isEqualTo(11);
    assertThat(e.outOfMemory()).isFalse();
  }

  @Test
  void aPoemAtTheLimitIsDelivered(MemoryReactor reactor) {
    Deferred<byte[]> poem = PoetryClient.fetch(reactor, "h", 1, null, 10);
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived(utf8("1234567890"));
    t.connectionLost(new ConnectionDone());
    assertThat(successResultOf(poem)).isEqualTo(utf8("1234567890"));
  }

  @Test
  void theLimitIs64MiBUnlessGivenAndAtMostTheLargestArray() {
    assertThat(PoetryClientFactory.DEFAULT_MAX_POEM_BYTES).isEqualTo(64L * 1024 * 1024);
    assertThat(PoetryClientFactory.create().maxPoemBytes()).isEqualTo(64L * 1024 * 1024);
    assertThatThrownBy(() -> PoetryClientFactory.create(null, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PoetryClientFactory.create(null, Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PoemTooLargeException.describeBytes(64L << 20)).isEqualTo("64 MiB");
    assertThat(PoemTooLargeException.describeBytes(1536)).isEqualTo("1.5 KiB");
    assertThat(PoemTooLargeException.describeBytes(1)).isEqualTo("1 byte");
  }

  @Test
  void cancellingWhileConnectedAbortsTheConnectionAndIgnoresTheRest(MemoryReactor reactor) {
    Deferred<byte[]> poem = PoetryClient.fetch(reactor, "h", 1, null);
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived(utf8("some"));
    poem.cancel();
    assertThat(t.isDisconnected()).as("aborted").isTrue();
    failureResultOf(poem, CancelledException.class);
  }

  @Test
  void cancellingWhileConnectingStopsTheAttempt(MemoryReactor reactor) {
    Deferred<byte[]> poem = PoetryClient.fetch(reactor, "h", 1, null);
    MemoryConnector attempt = reactor.connectors().get(0);
    poem.cancel();
    assertThat(attempt.state()).isEqualTo(MemoryConnector.State.DISCONNECTED);
    failureResultOf(poem, CancelledException.class);
  }

  @Test
  void aTimeoutFailsTheDownloadAndClosesTheConnection(MemoryReactor reactor) {
    Deferred<byte[]> poem =
        PoetryClient.fetch(reactor, "h", 1, null).addTimeout(Duration.ofSeconds(5), reactor);
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived(utf8("slow"));
    reactor.advance(4.9);
    assertNoResult(poem);
    reactor.advance(0.1);
    assertThat(t.isDisconnected()).isTrue();
    assertThat(failureResultOf(poem, DeferredTimeoutException.class).getErrorMessage())
        .contains("5");
  }

  @Test
  void theFactoryFiresItsDeferredOnlyOnce(MemoryReactor reactor) {
    PoetryClientFactory factory = PoetryClientFactory.create();
    reactor.connectTCP("h", 1, factory);
    StringTransport t = reactor.connectors().get(0).complete();
    factory.poemFinished(utf8("one"));
    t.connectionLost(new ConnectionDone()); // the protocol reports again: ignored
    assertThat(successResultOf(factory.deferred())).isEqualTo(utf8("one"));
  }

  /** Builds a connection, hands it {@code bytes}, ends it; returns a weak reference to it. */
  private static WeakReference<Protocol> deliver(
      PoetryClientFactory factory, byte[] bytes, boolean clean) {
    StringTransport t = StringTransport.create();
    Protocol p = t.connect(factory.buildProtocol(null));
    p.dataReceived(bytes);
    p.connectionLost(clean ? new ConnectionDone() : new ConnectionLost("reset", null));
    return new WeakReference<>(p);
  }

  private static boolean collected(WeakReference<?> ref) {
    for (int i = 0; i < 20 && ref.get() != null; i++) {
      System.gc();
    }
    return ref.get() == null;
  }

  @Test
  void aDeliveredPoemsDeferredDoesNotKeepTheConnectionAndItsBufferAlive() {
    PoetryClientFactory factory = PoetryClientFactory.create();
    Deferred<byte[]> poem = factory.deferred();
    WeakReference<Protocol> protocol = deliver(factory, new byte[1 << 20], true);
    assertThat(collected(protocol))
        .as("the protocol (and its 1 MiB buffer) is garbage once the poem is delivered")
        .isTrue();
    assertThat(successResultOf(poem)).hasSize(1 << 20);
  }

  @Test
  void aFailedOrCancelledDownloadDoesNotKeepTheConnectionAliveEither() {
    PoetryClientFactory failed = PoetryClientFactory.create();
    Deferred<byte[]> failure = failed.deferred();
    WeakReference<Protocol> p1 = deliver(failed, new byte[1000], false);
    assertThat(collected(p1)).isTrue();
    failureResultOf(failure, ConnectionLost.class);

    PoetryClientFactory cancelled = PoetryClientFactory.create();
    Deferred<byte[]> gone = cancelled.deferred();
    StringTransport t = StringTransport.create();
    Protocol p = t.connect(cancelled.buildProtocol(null));
    p.dataReceived(new byte[1000]);
    gone.cancel();
    p.connectionLost(new dev.braid.net.ConnectionAborted());
    WeakReference<Protocol> p2 = new WeakReference<>(p);
    p = null;
    t = null;
    assertThat(collected(p2)).isTrue();
    failureResultOf(gone, CancelledException.class);
  }
}
