package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.prefix;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.test.Chunking;
import dev.braid.test.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conformance section P, scenario 118 (spec §20). */
class Int32StringReceiverTest {
  static class Recorder extends Int32StringReceiver {
    final List<String> received = new ArrayList<>();
    final List<Long> exceeded = new ArrayList<>();

    Recorder(long maxLength) {
      super(maxLength);
    }

    Recorder() {}

    @Override
    protected void stringReceived(byte[] string) {
      received.add(s(string));
    }

    @Override
    protected void lengthLimitExceeded(long length) {
      exceeded.add(length);
      super.lengthLimitExceeded(length);
    }
  }

  private static void feed(Recorder r, Chunking chunking, String input) {
    for (byte[] read : chunking.split(b(input))) {
      r.dataReceived(read);
    }
  }

  @Test
  void aLengthAboveTheMaximumCallsLengthLimitExceededOnceAsSoonAsThePrefixIsIn() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(10));
    r.dataReceived(b(prefix(4, 11)));
    assertThat(r.exceeded).containsExactly(11L);
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void everyLaterReadCallsLengthLimitExceededAgainButIsNotBuffered() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(10));
    feed(r, Chunking.oneByteAtATime(), "\u0010\u0000\u0000\u0000aaaaaa");
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(r.exceeded).hasSize(7).containsOnly(0x10000000L);
    assertThat(r.buffered()).isEqualTo(4);
  }

  @Test
  void anEmptyStringIsDeliveredAndAnIncompleteOneStaysBuffered() {
    Recorder r = StringTransport.create().connect(new Recorder(50));
    feed(r, Chunking.oneByteAtATime(), prefix(4, 3) + "abc" + prefix(4, 0) + prefix(4, 2) + "x");
    assertThat(r.received).containsExactly("abc", "");
    assertThat(r.buffered()).isEqualTo(5);
  }

  @Test
  void theDefaultMaximumIs99999() {
    StringTransport over = StringTransport.create();
    over.connect(new Recorder()).dataReceived(b(prefix(4, 100_000)));
    assertThat(over.isDisconnecting()).isTrue();

    StringTransport at = StringTransport.create();
    Recorder r = at.connect(new Recorder());
    r.dataReceived(b(prefix(4, 99_999)));
    assertThat(at.isDisconnecting()).isFalse();
    assertThat(r.received).isEmpty();
    assertThat(r.prefix()).isEqualTo(LengthPrefix.int32());
  }

  @Test
  void loweringTheMaximumRejectsAStringWhoseLengthWasAlreadyAnnounced() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(50));
    r.dataReceived(b(prefix(4, 20) + "x".repeat(5)));
    r.setMaxLength(10); // Twisted checks the pending length against MAX_LENGTH on every read
    r.dataReceived(b("x".repeat(15)));
    assertThat(r.received).isEmpty();
    assertThat(r.exceeded).containsExactly(20L);
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(r.prefix()).isEqualTo(LengthPrefix.int32().withMaxLength(10));
  }
}
