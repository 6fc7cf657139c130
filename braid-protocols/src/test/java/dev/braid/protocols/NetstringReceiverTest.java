package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.test.Chunking;
import dev.braid.test.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Conformance section O (spec §19) and decision 9, under the chunking matrix. */
class NetstringReceiverTest {
  /** Twisted's TestNetstring: records every string. */
  static class Recorder extends NetstringReceiver {
    final List<String> received = new ArrayList<>();

    Recorder() {}

    Recorder(int maxLength) {
      super(maxLength);
    }

    @Override
    protected void stringReceived(byte[] string) {
      received.add(s(string));
    }
  }

  private static Recorder connect(Recorder receiver, StringTransport transport) {
    return transport.connect(receiver);
  }

  private static Recorder feed(
      Recorder receiver, StringTransport transport, Chunking chunking, String input) {
    connect(receiver, transport);
    for (byte[] read : chunking.split(b(input))) {
      receiver.dataReceived(read);
    }
    return receiver;
  }

  static List<Chunking> chunkings() {
    return Chunking.matrix();
  }

  // ---- 103. Small, empty and nested netstrings

  @ParameterizedTest
  @MethodSource("chunkings")
  void smallEmptyAndNestedNetstringsAreDelivered(Chunking chunking) {
    String[][] cases = {{"0:,", ""}, {"1:a,", "a"}, {"2:ab,", "ab"}, {"4:1:a,,", "1:a,"}};
    for (String[] c : cases) {
      StringTransport t = StringTransport.create();
      Recorder r = feed(new Recorder(50), t, chunking, c[0]);
      assertThat(r.received).as(c[0]).containsExactly(c[1]);
      assertThat(t.isDisconnecting()).as(c[0]).isFalse();
    }
  }

  // ---- 104. Any chunking, including byte by byte

  @Test
  void sentStringsParseBackUnderEveryPacketSize() {
    List<String> strings =
        List.of("hello", "world", "how", "are", "you123", ":today", "a".repeat(515));
    StringTransport out = StringTransport.create();
    Recorder sender = out.connect(new Recorder(699));
    for (String string : strings) {
      sender.sendString(b(string));
    }
    byte[] wire = out.value();
    for (int size = 1; size <= 9; size++) {
      StringTransport t = StringTransport.create();
      Recorder r = t.connect(new Recorder(699));
      for (byte[] read : Chunking.packets(size).split(wire)) {
        r.dataReceived(read);
      }
      assertThat(r.received).as("packet size " + size).isEqualTo(strings);
      assertThat(t.isDisconnecting()).isFalse();
    }
  }

  @Test
  void netstringsSplitAcrossReadsAreReassembled() {
    assertThat(feedReads(50, "4:aa", "aa,")).containsExactly("aaaa");
    assertThat(feedReads(50, "1", "0:01234", "56789", ",")).containsExactly("0123456789");
    assertThat(feedReads(50, "2", ":", "a", "b", ",")).containsExactly("ab");
  }

  @Test
  void aLengthStartedAtTheEndOfOneReadContinuesInTheNext() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(50));
    r.dataReceived(b("1:a,1"));
    assertThat(r.received).containsExactly("a");
    r.dataReceived(b(":b,"));
    assertThat(r.received).containsExactly("a", "b");
    assertThat(t.isDisconnecting()).isFalse();
  }

  private static List<String> feedReads(int max, String... reads) {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(max));
    for (String read : reads) {
      r.dataReceived(b(read));
    }
    assertThat(t.isDisconnecting()).isFalse();
    return r.received;
  }

  // ---- 106. Wrong payload length or missing comma

  @ParameterizedTest
  @ValueSource(strings = {"2:aaa,", "0:a,", "3:abcd", "3:abc;"})
  void aWrongPayloadLengthOrMissingCommaDisconnects(String input) {
    for (Chunking chunking : Chunking.matrix()) {
      StringTransport t = StringTransport.create();
      Recorder r = feed(new Recorder(50), t, chunking, input);
      assertThat(r.received).as(chunking.toString()).isEmpty();
      assertThat(t.isDisconnecting()).as(chunking.toString()).isTrue();
      assertThat(r.parseError().kind()).isEqualTo(FramingError.Kind.MISSING_COMMA);
      assertThat(r.parseError().message())
          .isEqualTo("The received netstring is not terminated by a comma.");
    }
  }

  @Test
  void aMissingCommaIsDetectedWhenLengthPlusOneBytesHaveArrived() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(50));
    r.dataReceived(b("3:abc"));
    assertThat(t.isDisconnecting()).isFalse();
    r.dataReceived(b(";"));
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(r.parseError().position()).isEqualTo(5);
  }

  // ---- 107. A missing or invalid length prefix

  @ParameterizedTest
  @ValueSource(
      strings = {
        ":aaa,", "3aaa,", "aaa,", "aaa", "a:", "-1:x,", "+3:abc,", " 3:abc,", "03:abc,", "00:,",
        "12\n"
      })
  void aMissingOrInvalidLengthDisconnects(String input) {
    for (Chunking chunking : Chunking.matrix()) {
      StringTransport t = StringTransport.create();
      Recorder r = feed(new Recorder(50), t, chunking, input);
      assertThat(r.received).as(chunking.toString()).isEmpty();
      assertThat(t.isDisconnecting()).as(chunking.toString()).isTrue();
      assertThat(r.parseError().kind()).isEqualTo(FramingError.Kind.MISSING_LENGTH);
      assertThat(r.parseError().message())
          .isEqualTo("The received netstring does not start with a length specification.");
    }
  }

  @Test
  void aLoneZeroIsAnAcceptablePartialLengthAndALeadingZeroFailsAtTheSecondByte() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder());
    r.dataReceived(b("0"));
    assertThat(t.isDisconnecting()).isFalse();
    r.dataReceived(b("3"));
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(r.parseError().position()).isEqualTo(1);
  }

  // ---- 109. The MAX_LENGTH boundary, checked before the colon arrives

  @ParameterizedTest
  @ValueSource(strings = {"99999:", "99999"})
  void theDefaultMaximumIsAcceptedAndWaitsForThePayload(String input) {
    StringTransport t = StringTransport.create();
    Recorder r = feed(new Recorder(), t, Chunking.whole(), input);
    assertThat(r.maxLength()).isEqualTo(99999);
    assertThat(r.received).isEmpty();
    assertThat(t.isDisconnecting()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"100000:", "100000", "1234567"})
  void aLengthAboveTheDefaultMaximumDisconnectsBeforeTheColon(String input) {
    for (Chunking chunking : Chunking.matrix()) {
      StringTransport t = StringTransport.create();
      Recorder r = feed(new Recorder(), t, chunking, input);
      assertThat(t.isDisconnecting()).as(chunking.toString()).isTrue();
      assertThat(r.parseError().kind()).isEqualTo(FramingError.Kind.LENGTH_TOO_LONG);
      assertThat(r.parseError().message())
          .isEqualTo("The received netstring is longer than the maximum of 99999 bytes.");
    }
  }

  @Test
  void aSmallerMaximumIsCheckedDigitByDigit() {
    StringTransport waiting = StringTransport.create();
    feed(new Recorder(50), waiting, Chunking.whole(), "50:");
    assertThat(waiting.isDisconnecting()).isFalse();

    StringTransport tooLong = StringTransport.create();
    Recorder r = feed(new Recorder(50), tooLong, Chunking.whole(), "51:" + "a".repeat(51));
    assertThat(tooLong.isDisconnecting()).isTrue();
    assertThat(r.received).isEmpty();

    StringTransport digitByDigit = StringTransport.create();
    Recorder d = digitByDigit.connect(new Recorder(50));
    d.dataReceived(b("5"));
    assertThat(digitByDigit.isDisconnecting()).isFalse();
    d.dataReceived(b("1"));
    assertThat(digitByDigit.isDisconnecting()).isTrue();
  }

  @Test
  void theExpectedPayloadSizeCountsTheComma() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(12));
    r.dataReceived(b("12:"));
    assertThat(r.expectedPayloadSize()).isEqualTo(13);
    assertThat(t.isDisconnecting()).isFalse();

    StringTransport t11 = StringTransport.create();
    t11.connect(new Recorder(11)).dataReceived(b("12:"));
    assertThat(t11.isDisconnecting()).isTrue();

    StringTransport t1000 = StringTransport.create();
    t1000.connect(new Recorder(11)).dataReceived(b("1000:"));
    assertThat(t1000.isDisconnecting()).isTrue();
  }

  // ---- 110. Behaviour after an error: decision 9

  @Test
  void dataAfterAnErrorInTheSameReadIsIgnoredAndTheConnectionClosedOnce() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder());
    r.dataReceived(b("1:a,x1:b,"));
    assertThat(r.received).containsExactly("a");
    assertThat(t.loseConnectionCalls()).isEqualTo(1);
  }

  @Test
  void aBadNetstringFedByteByByteClosesTheConnectionOnlyOnce() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder());
    for (byte[] read : Chunking.oneByteAtATime().split(b("03:abc,"))) {
      r.dataReceived(read);
    }
    assertThat(r.received).isEmpty();
    assertThat(t.loseConnectionCalls()).isEqualTo(1);
  }

  @Test
  void aBrokenReceiverNeverDeliversAgain() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder());
    r.dataReceived(b("3:abc;"));
    r.dataReceived(b("1:x,"));
    assertThat(r.received).isEmpty();
    assertThat(t.loseConnectionCalls()).isEqualTo(1);

    StringTransport t2 = StringTransport.create();
    Recorder r2 = t2.connect(new Recorder());
    r2.dataReceived(b("x"));
    r2.dataReceived(b("3:abc,"));
    assertThat(r2.received).isEmpty();
    assertThat(t2.loseConnectionCalls()).isEqualTo(1);
    assertThat(r2.partialFrameStart()).isEqualTo(-1);
  }

  // ---- Other behaviour of §19

  @Test
  void aStringReceivedThatLosesTheConnectionDoesNotStopTheRestOfTheRead() {
    StringTransport t = StringTransport.create();
    Recorder r =
        t.connect(
            new Recorder() {
              @Override
              protected void stringReceived(byte[] string) {
                super.stringReceived(string);
                transport().loseConnection();
              }
            });
    r.dataReceived(b("1:a,1:b,"));
    assertThat(r.received).containsExactly("a", "b");
  }

  @Test
  void anExceptionFromStringReceivedPropagatesAndTheRestStaysBuffered() {
    StringTransport t = StringTransport.create();
    Recorder r =
        t.connect(
            new Recorder() {
              @Override
              protected void stringReceived(byte[] string) {
                super.stringReceived(string);
                if (s(string).equals("boom")) {
                  throw new IllegalStateException("boom");
                }
              }
            });
    assertThatThrownBy(() -> r.dataReceived(b("4:boom,2:ok,"))).hasMessage("boom");
    assertThat(r.received).containsExactly("boom");
    r.dataReceived(new byte[0]);
    assertThat(r.received).containsExactly("boom", "ok");
  }

  @Test
  void aPartialFrameIsReportedFromItsFirstLengthDigit() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder());
    assertThat(r.partialFrameStart()).isEqualTo(-1);
    r.dataReceived(b("2:ab,1"));
    assertThat(r.partialFrameStart()).isEqualTo(5);
    r.dataReceived(b(":x,"));
    assertThat(r.partialFrameStart()).isEqualTo(-1);
  }

  // ---- The read array is the protocol's (no copy when nothing is buffered)

  @Test
  void aReadThatStartsWithAPartialFrameKeepsItsBytesAcrossLaterReads() {
    StringTransport t = StringTransport.create();
    Recorder r = connect(new Recorder(), t);

    r.dataReceived(b("1:a,5:he")); // the second frame stays buffered in this very array
    r.dataReceived(b("llo,3:x"));
    r.dataReceived(b("yz,"));

    assertThat(r.received).containsExactly("a", "hello", "xyz");
  }

  @Test
  void framerAppendStillCopiesTheCallersArray() {
    NetstringFramer framer = NetstringFramer.create();
    byte[] read = b("5:he");
    framer.append(read);
    read[3] = 'X'; // the caller reuses its array: the framer kept a copy

    framer.append(b("llo,"));

    assertThat(s(framer.next())).isEqualTo("hello");
  }

  @Test
  void ownedArrayIsUsedInPlaceAndStillParsedExactly() {
    NetstringFramer framer = NetstringFramer.create();
    framer.appendOwned(b("3:abc,2:d"));
    assertThat(s(framer.next())).isEqualTo("abc");
    assertThat(framer.next()).isNull();

    framer.appendOwned(b("e,"));

    assertThat(s(framer.next())).isEqualTo("de");
    assertThat(framer.buffered()).isZero();
  }

  // ---- A maximum set on the instance (Twisted's per-instance MAX_LENGTH)

  @Test
  void aMaximumSetBeforeConnectingApplies() {
    StringTransport t = StringTransport.create();
    Recorder r = new Recorder();
    r.setMaxLength(699); // as Twisted's test_buffer does before makeConnection
    t.connect(r);
    r.dataReceived(b("515:" + "a".repeat(515) + ","));
    assertThat(r.received).containsExactly("a".repeat(515));
    r.setMaxLength(10);
    r.dataReceived(b("11:"));
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(r.parseError().message())
        .isEqualTo("The received netstring is longer than the maximum of 10 bytes.");
  }

  @Test
  void aNewMaximumAppliesToTheLengthDigitsReadAfterIt() {
    StringTransport whole = StringTransport.create();
    Recorder read = whole.connect(new Recorder(50));
    read.dataReceived(b("20:"));
    read.setMaxLength(10); // the length was read whole: not checked again, as in Twisted
    read.dataReceived(b("x".repeat(20) + ","));
    assertThat(read.received).containsExactly("x".repeat(20));
    assertThat(whole.isDisconnecting()).isFalse();

    StringTransport midway = StringTransport.create();
    Recorder digits = midway.connect(new Recorder(50));
    digits.dataReceived(b("1"));
    digits.setMaxLength(5);
    digits.dataReceived(b("2"));
    assertThat(midway.isDisconnecting()).isTrue();
    assertThat(digits.parseError().kind()).isEqualTo(FramingError.Kind.LENGTH_TOO_LONG);
  }
}
