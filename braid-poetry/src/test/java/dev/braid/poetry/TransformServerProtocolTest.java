package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionDone;
import dev.braid.net.Protocol;
import dev.braid.test.BraidExtension;
import dev.braid.test.Chunking;
import dev.braid.test.StringTransport;
import java.nio.charset.StandardCharsets;
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
}
