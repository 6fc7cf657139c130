package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionDone;
import dev.braid.net.Protocol;
import dev.braid.test.BraidExtension;
import dev.braid.test.Chunking;
import dev.braid.test.StringTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(BraidExtension.class)
class TransformServerProtocolTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] netstring(String payload) {
    byte[] p = utf8(payload);
    return utf8(p.length + ":" + payload + ",");
  }

  static StringTransport serve(Transformer transformer, Chunking chunking, byte[] input) {
    StringTransport t = StringTransport.create();
    Protocol p = t.connect(TransformServerFactory.create(transformer).buildProtocol(null));
    for (byte[] read : chunking.split(input)) {
      p.dataReceived(read);
    }
    return t;
  }

  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void repliesWithOneNetstringThenCloses(Chunking chunking) {
    StringTransport t =
        serve(TransformService.standard(), chunking, netstring("cummingsify.Café AT MIDNIGHT"));
    assertThat(t.value()).isEqualTo(netstring("café at midnight"));
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void anUnknownTransformClosesWithoutAReply() {
    StringTransport t = serve(TransformService.standard(), Chunking.whole(), utf8("6:nope.x,"));
    assertThat(t.value()).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void theFailTransformClosesWithoutAReply() {
    StringTransport t = serve(TransformService.standard(), Chunking.whole(), utf8("6:fail.x,"));
    assertThat(t.value()).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void aRequestWithoutADotClosesWithoutAReply() {
    StringTransport t = serve(TransformService.standard(), Chunking.whole(), utf8("5:shout,"));
    assertThat(t.value()).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void anEmptyPoemIsTransformedToAnEmptyReply() {
    StringTransport t = serve(TransformService.standard(), Chunking.whole(), utf8("6:shout.,"));
    assertThat(t.value()).isEqualTo(utf8("0:,"));
  }

  @Test
  void aMalformedNetstringClosesWithoutAReply() {
    StringTransport t = serve(TransformService.standard(), Chunking.whole(), utf8("x:shout.a,"));
    assertThat(t.value()).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void onlyTheFirstRequestOfAConnectionIsAnswered() {
    StringTransport t =
        serve(TransformService.standard(), Chunking.whole(), utf8("7:shout.a,7:shout.b,"));
    assertThat(t.value()).isEqualTo(utf8("1:A,"));
  }

  @Test
  void aSlowTransformerIsCancelledWhenTheClientLeaves() {
    List<Deferred<String>> requests = new ArrayList<>();
    Transformer slow =
        (name, poem) -> {
          Deferred<String> d = Deferred.create();
          requests.add(d);
          return d;
        };
    StringTransport t = serve(slow, Chunking.whole(), utf8("7:shout.a,"));
    assertThat(requests).hasSize(1);
    t.protocol().connectionLost(new ConnectionDone());
    assertThat(requests.get(0).isCalled()).as("cancelled").isTrue();
    assertThat(t.value()).isEmpty();
  }

  @Test
  void aSlowTransformersReplyIsSentWhenItArrives() {
    Deferred<String> later = Deferred.create();
    StringTransport t = serve((name, poem) -> later, Chunking.whole(), utf8("7:shout.a,"));
    assertThat(t.value()).isEmpty();
    later.callback("A!");
    assertThat(t.value()).isEqualTo(utf8("2:A!,"));
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void aRequestThatIsNotUtf8ClosesWithoutAReplyNeverAlteringIt() {
    byte[] payload = "shout.Café à minuit".getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(utf8(payload.length + ":"));
    request.writeBytes(payload);
    request.write(',');
    StringTransport t = serve(TransformService.standard(), Chunking.whole(), request.toByteArray());
    assertThat(t.value()).as("no reply, so no U+FFFD either").isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }

  /** Serves {@code input} on one connection of {@code factory} and ends the connection. */
  static StringTransport serveAndClose(TransformServerFactory factory, byte[] input) {
    StringTransport t = StringTransport.create();
    Protocol p = t.connect(factory.buildProtocol(null));
    p.dataReceived(input);
    t.connectionLost(new ConnectionDone());
    return t;
  }

  @Test
  void everyRefusalIsLoggedWithItsReason() {
    List<String> lines = new ArrayList<>();
    long[] now = {0};
    // A new interval for every line, so that each is logged.
    LogLimiter log =
        LogLimiter.create(lines::add, Duration.ofSeconds(1), () -> now[0] += 2_000_000_000L);
    TransformServerFactory factory =
        TransformServerFactory.create(TransformService.standard(), log);
    serveAndClose(factory, utf8("100000:shout.x,"));
    serveAndClose(factory, utf8("abc"));
    serveAndClose(factory, utf8("3:abc;"));
    serveAndClose(factory, utf8("5:shout,"));
    serveAndClose(factory, new byte[] {'3', ':', 'a', '.', (byte) 0xe9, ','});
    serveAndClose(factory, utf8("6:nope.x,"));
    serveAndClose(factory, utf8("6:fail.x,"));
    serveAndClose(factory, utf8("7:shout.a,"));
    assertThat(lines)
        .allSatisfy(line -> assertThat(line).endsWith("; closed without a reply"))
        .map(line -> line.substring(line.indexOf(": ") + 2))
        .containsExactly(
            "refused a request longer than the limit of 99,999 bytes (NAME.POEM, in UTF-8); closed"
                + " without a reply",
            "refused a request that is not a netstring (expected LENGTH:NAME.POEM,); closed"
                + " without a reply",
            "refused a request whose netstring does not end with ','; closed without a reply",
            "refused a request without a '.' between name and poem; closed without a reply",
            "refused a request that is not UTF-8 text (transforms work on UTF-8 text only); closed"
                + " without a reply",
            "unknown transform: 'nope'; closed without a reply",
            "the transform 'fail' failed: the 'fail' transform always fails; closed without a"
                + " reply");
  }

  @Test
  void refusalsAreRateLimited() {
    List<String> lines = new ArrayList<>();
    LogLimiter log = LogLimiter.create(lines::add, Duration.ofSeconds(10), () -> 0L);
    TransformServerFactory factory =
        TransformServerFactory.create(TransformService.standard(), log);
    for (int i = 0; i < 100; i++) {
      serveAndClose(factory, utf8("100000:"));
    }
    assertThat(lines).hasSize(1);
    assertThat(log.leftOut()).isEqualTo(99);
  }
}
