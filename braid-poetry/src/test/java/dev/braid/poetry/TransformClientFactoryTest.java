package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.assertNoResult;
import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.test.BraidExtension;
import dev.braid.test.MemoryReactor;
import dev.braid.test.StringTransport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BraidExtension.class)
class TransformClientFactoryTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void sendsNameDotPoemAsOneNetstringAndFiresWithTheReply(MemoryReactor reactor) {
    TransformProxy proxy = TransformProxy.create(reactor, "127.0.0.1", 10001);
    Deferred<String> d = proxy.xform("cummingsify", "Café");
    assertThat(reactor.connectors().get(0).port()).isEqualTo(10001);
    StringTransport t = reactor.connectors().get(0).complete();
    assertThat(t.value()).isEqualTo(utf8("17:cummingsify.Café,"));
    assertNoResult(d);
    t.protocol().dataReceived(utf8("5:café,"));
    assertThat(t.isDisconnecting()).as("the client closes after the reply").isTrue();
    assertThat(successResultOf(d)).isEqualTo("café");
  }

  @Test
  void aCloseWithoutAReplyIsATransformException(MemoryReactor reactor) {
    Deferred<String> d = TransformProxy.create(reactor, "127.0.0.1", 10001).xform("nope", "x");
    StringTransport t = reactor.connectors().get(0).complete();
    t.connectionLost(new ConnectionDone());
    assertThat(failureResultOf(d, TransformException.class).getErrorMessage())
        .isEqualTo(
            "127.0.0.1:10001 closed the connection without a reply (unknown transform, or the"
                + " transform failed)");
  }

  @Test
  void aResetBeforeTheReplyIsATransformException(MemoryReactor reactor) {
    Deferred<String> d = TransformProxy.create(reactor, "127.0.0.1", 10001).xform("shout", "x");
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived(utf8("5:AB")); // half a reply
    t.connectionLost(new ConnectionLost("Connection reset by peer", null));
    assertThat(failureResultOf(d, TransformException.class).getErrorMessage())
        .isEqualTo(
            "the connection to 127.0.0.1:10001 was lost before the reply (Connection reset by"
                + " peer)");
  }

  @Test
  void aRefusedConnectionFailsWithTheConnectError(MemoryReactor reactor) {
    Deferred<String> d = TransformProxy.create(reactor, "127.0.0.1", 10001).xform("shout", "x");
    reactor
        .connectors()
        .get(0)
        .fail(new ConnectionRefusedError("127.0.0.1:10001: connection refused", null));
    failureResultOf(d, ConnectionRefusedError.class);
  }

  @Test
  void cancellingAbortsTheConnection(MemoryReactor reactor) {
    Deferred<String> d = TransformProxy.create(reactor, "h", 1).xform("shout", "x");
    StringTransport t = reactor.connectors().get(0).complete();
    d.cancel();
    assertThat(t.isDisconnected()).isTrue();
    failureResultOf(d, CancelledException.class);
  }

  @Test
  void aNameWithADotIsRefused(MemoryReactor reactor) {
    failureResultOf(
        TransformProxy.create(reactor, "h", 1).xform("a.b", "x"), IllegalArgumentException.class);
    assertThat(reactor.connectors()).isEmpty();
    assertThatThrownBy(() -> TransformClientFactory.create("a.b", "x"))
        .hasMessage("a transform name cannot contain '.': a.b");
  }

  @Test
  void aRequestOverTheLimitIsRefusedBeforeConnectingSayingSo(MemoryReactor reactor) {
    String poem = "x".repeat(TransformServerFactory.MAX_REQUEST_BYTES - "shout.".length() + 1);
    Deferred<String> d = TransformProxy.create(reactor, "h", 1).xform("shout", poem);
    assertThat(failureResultOf(d, IllegalArgumentException.class).getErrorMessage())
        .isEqualTo(
            "the poem is too long to transform: the request (NAME.POEM, in UTF-8) would be 100,000"
                + " bytes, over the transform protocol's limit of 99,999 bytes");
    assertThat(reactor.connectors()).isEmpty();
  }

  @Test
  void aRequestAtTheLimitIsSent(MemoryReactor reactor) {
    String poem = "é".repeat((TransformServerFactory.MAX_REQUEST_BYTES - "shout.".length()) / 2);
    assertThat(utf8("shout." + poem)).hasSizeLessThanOrEqualTo(99_999).hasSizeGreaterThan(99_990);
    Deferred<String> d = TransformProxy.create(reactor, "h", 1).xform("shout", poem);
    StringTransport t = reactor.connectors().get(0).complete();
    assertThat(t.value()).startsWith(utf8("99998:shout.é"));
    d.cancel();
    failureResultOf(d, CancelledException.class);
  }

  @Test
  void aReplyOverTheLimitIsATransformExceptionSayingSo(MemoryReactor reactor) {
    Deferred<String> d = TransformProxy.create(reactor, "127.0.0.1", 10001).xform("shout", "x");
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived(utf8("100000:"));
    assertThat(t.isDisconnecting()).isTrue();
    t.connectionLost(new ConnectionDone());
    assertThat(failureResultOf(d, TransformException.class).getErrorMessage())
        .isEqualTo(
            "the reply from 127.0.0.1:10001 is longer than the transform protocol's limit of"
                + " 99,999 bytes");
  }
}
