package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.prefix;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import dev.braid.test.Chunking;
import dev.braid.test.StringTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every receiver does the same way, checked once against each of them: {@link LineReceiver},
 * {@link LineOnlyReceiver}, {@link Int32StringReceiver}, {@link Int16StringReceiver}, {@link
 * Int8StringReceiver} and {@link NetstringReceiver} (Twisted's {@code IntNTestCaseMixin} and {@code
 * LPTestCaseMixin}, run over every receiver instead of the length-prefixed ones only); and, for the
 * two that are push producers, pausing (Twisted's {@code ProducerTests}). What only one receiver
 * does is tested in its own test class.
 */
class ReceiverContractTest {

  // ---------------------------------------------------------------------------------------------
  // The receivers, seen through what they have in common

  /** One receiver under test; its recorder subclass reports to it. */
  abstract static class Subject {
    final List<String> received = new ArrayList<>();
    final List<String> reports = new ArrayList<>();
    Transport madeWith;
    Consumer<String> onFrame = payload -> {};

    abstract Protocol protocol();

    abstract void send(byte[] payload);

    abstract void setMaxLength(int maxLength);

    abstract long maxLength();

    abstract long partialFrameStart();

    abstract Transport transport();

    /** What the receiver said about input over its limit: its hook's argument, or its error. */
    List<String> limitReports() {
      return reports;
    }

    void pause() {
      producer().pauseProducing();
    }

    void resume() {
      producer().resumeProducing();
    }

    void stop() {
      producer().stopProducing();
    }

    boolean isPaused() {
      throw new UnsupportedOperationException(protocol() + " does not pause");
    }

    private dev.braid.net.PushProducer producer() {
      return (dev.braid.net.PushProducer) protocol();
    }

    /** A frame arrived: recorded, then {@link #onFrame} may act on it. */
    final void delivered(byte[] payload) {
      received.add(s(payload));
      onFrame.accept(s(payload));
    }

    /** Connects to a new {@link StringTransport}, which is returned. */
    final StringTransport connect() {
      StringTransport transport = StringTransport.create();
      transport.connect(protocol());
      return transport;
    }

    final void feed(Chunking chunking, String input) {
      for (byte[] read : chunking.split(b(input))) {
        protocol().dataReceived(read);
      }
    }

    final void feed(String input) {
      protocol().dataReceived(b(input));
    }
  }

  /** A kind of receiver: how to make one, and what its frames look like. */
  abstract static class Kind {
    private final String name;

    Kind(String name) {
      this.name = name;
    }

    /** A receiver with the default maximum. */
    abstract Subject create();

    /** A receiver whose maximum is given to its constructor. */
    abstract Subject create(int maxLength);

    abstract long defaultMaxLength();

    /** The payload as a frame on the wire (written here from the format, not by the receiver). */
    abstract String frame(String payload);

    /** Payloads to send and receive; the maximum they need. */
    abstract List<String> samples();

    int samplesMaxLength() {
      return (int) defaultMaxLength();
    }

    /** A frame that has started and not ended. */
    abstract String partialFrame();

    /** Inputs that deliver nothing (Twisted's {@code partialStrings}). */
    abstract List<String> partialInputs();

    /** Inputs that close the connection of a receiver whose maximum is 50 (Twisted's). */
    abstract List<String> illegalInputs();

    /** What the receiver reports about a too-long frame carrying {@code payload}. */
    abstract String tooLongReport(String payload, int maxLength);

    /** A payload and, literally, the bytes {@code sendString}/{@code sendLine} writes for it. */
    abstract String[] sendExample();

    boolean pauses() {
      return false;
    }

    String frames(List<String> payloads) {
      StringBuilder wire = new StringBuilder();
      payloads.forEach(p -> wire.append(frame(p)));
      return wire.toString();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  // ---- Lines

  static final class LineSubject extends Subject {
    final LineReceiver receiver;

    LineSubject(LineFormat format) {
      receiver =
          new LineReceiver(format) {
            @Override
            protected void connectionMade() {
              madeWith = transport();
            }

            @Override
            protected void lineReceived(byte[] line) {
              delivered(line);
            }

            @Override
            protected void lineLengthExceeded(byte[] buffered) {
              reports.add(s(buffered));
              super.lineLengthExceeded(buffered);
            }
          };
    }

    @Override
    Protocol protocol() {
      return receiver;
    }

    @Override
    void send(byte[] payload) {
      receiver.sendLine(payload);
    }

    @Override
    void setMaxLength(int maxLength) {
      receiver.setMaxLength(maxLength);
    }

    @Override
    long maxLength() {
      return receiver.format().maxLength();
    }

    @Override
    long partialFrameStart() {
      return receiver.partialFrameStart();
    }

    @Override
    Transport transport() {
      return receiver.transport();
    }

    @Override
    boolean isPaused() {
      return receiver.isPaused();
    }
  }

  static final class LineOnlySubject extends Subject {
    final LineOnlyReceiver receiver;

    LineOnlySubject(LineFormat format) {
      receiver =
          new LineOnlyReceiver(format) {
            @Override
            protected void connectionMade() {
              madeWith = transport();
            }

            @Override
            protected void lineReceived(byte[] line) {
              delivered(line);
            }

            @Override
            protected void lineLengthExceeded(byte[] line) {
              reports.add(s(line));
              super.lineLengthExceeded(line);
            }
          };
    }

    @Override
    Protocol protocol() {
      return receiver;
    }

    @Override
    void send(byte[] payload) {
      receiver.sendLine(payload);
    }

    @Override
    void setMaxLength(int maxLength) {
      receiver.setMaxLength(maxLength);
    }

    @Override
    long maxLength() {
      return receiver.format().maxLength();
    }

    @Override
    long partialFrameStart() {
      return receiver.partialFrameStart();
    }

    @Override
    Transport transport() {
      return receiver.transport();
    }
  }

  /** Both line receivers, with Twisted's default CR LF. */
  abstract static class LineKind extends Kind {
    LineKind(String name) {
      super(name);
    }

    @Override
    long defaultMaxLength() {
      return LineFormat.DEFAULT_MAX_LENGTH;
    }

    @Override
    String frame(String payload) {
      return payload + "\r\n";
    }

    @Override
    List<String> samples() {
      return List.of("a", "", "b c");
    }

    @Override
    String partialFrame() {
      return "rest";
    }

    @Override
    List<String> partialInputs() {
      return List.of("abc", "no delimiter yet\r", "");
    }

    @Override
    List<String> illegalInputs() {
      return List.of("x".repeat(60), "x".repeat(51) + "\r\n");
    }
  }

  static final Kind LINE =
      new LineKind("LineReceiver") {
        @Override
        Subject create() {
          return new LineSubject(LineFormat.crlf());
        }

        @Override
        Subject create(int maxLength) {
          return new LineSubject(LineFormat.crlf().withMaxLength(maxLength));
        }

        @Override
        String tooLongReport(String payload, int maxLength) {
          return frame(payload); // everything buffered
        }

        @Override
        String[] sendExample() {
          return new String[] {"hello", "hello\r\n"};
        }

        @Override
        boolean pauses() {
          return true;
        }
      };

  static final Kind LINE_ONLY =
      new LineKind("LineOnlyReceiver") {
        @Override
        Subject create() {
          return new LineOnlySubject(LineFormat.crlf());
        }

        @Override
        Subject create(int maxLength) {
          return new LineOnlySubject(LineFormat.crlf().withMaxLength(maxLength));
        }

        @Override
        String tooLongReport(String payload, int maxLength) {
          return payload; // the line, up to its delimiter
        }

        @Override
        String[] sendExample() {
          return new String[] {"x", "x\r\n"};
        }
      };

  // ---- Length prefixes

  static final class IntNSubject extends Subject {
    final IntNStringReceiver receiver;

    IntNSubject(int size, long maxLength) {
      receiver =
          switch (size) {
            case 4 -> new Int32Recorder(maxLength, this);
            case 2 -> new Int16Recorder(maxLength, this);
            default -> new Int8Recorder(maxLength, this);
          };
    }

    @Override
    Protocol protocol() {
      return receiver;
    }

    @Override
    void send(byte[] payload) {
      receiver.sendString(payload);
    }

    @Override
    void setMaxLength(int maxLength) {
      receiver.setMaxLength(maxLength);
    }

    @Override
    long maxLength() {
      return receiver.prefix().maxLength();
    }

    @Override
    long partialFrameStart() {
      return receiver.partialFrameStart();
    }

    @Override
    Transport transport() {
      return receiver.transport();
    }

    @Override
    boolean isPaused() {
      return receiver.isPaused();
    }
  }

  static final class Int32Recorder extends Int32StringReceiver {
    private final Subject subject;

    Int32Recorder(long maxLength, Subject subject) {
      super(maxLength);
      this.subject = subject;
    }

    @Override
    protected void connectionMade() {
      subject.madeWith = transport();
    }

    @Override
    protected void stringReceived(byte[] string) {
      subject.delivered(string);
    }

    @Override
    protected void lengthLimitExceeded(long length) {
      subject.reports.add(Long.toString(length));
      super.lengthLimitExceeded(length);
    }
  }

  static final class Int16Recorder extends Int16StringReceiver {
    private final Subject subject;

    Int16Recorder(long maxLength, Subject subject) {
      super(maxLength);
      this.subject = subject;
    }

    @Override
    protected void connectionMade() {
      subject.madeWith = transport();
    }

    @Override
    protected void stringReceived(byte[] string) {
      subject.delivered(string);
    }

    @Override
    protected void lengthLimitExceeded(long length) {
      subject.reports.add(Long.toString(length));
      super.lengthLimitExceeded(length);
    }
  }

  static final class Int8Recorder extends Int8StringReceiver {
    private final Subject subject;

    Int8Recorder(long maxLength, Subject subject) {
      super(maxLength);
      this.subject = subject;
    }

    @Override
    protected void connectionMade() {
      subject.madeWith = transport();
    }

    @Override
    protected void stringReceived(byte[] string) {
      subject.delivered(string);
    }

    @Override
    protected void lengthLimitExceeded(long length) {
      subject.reports.add(Long.toString(length));
      super.lengthLimitExceeded(length);
    }
  }

  static final class IntNKind extends Kind {
    private final int size;
    private final List<String> samples;
    private final int samplesMaxLength;
    private final List<String> partialInputs;
    private final List<String> illegalInputs;
    private final String[] sendExample;

    IntNKind(
        String name,
        int size,
        List<String> samples,
        int samplesMaxLength,
        List<String> partialInputs,
        List<String> illegalInputs,
        String[] sendExample) {
      super(name);
      this.size = size;
      this.samples = samples;
      this.samplesMaxLength = samplesMaxLength;
      this.partialInputs = partialInputs;
      this.illegalInputs = illegalInputs;
      this.sendExample = sendExample;
    }

    @Override
    Subject create() {
      return new IntNSubject(size, LengthPrefix.DEFAULT_MAX_LENGTH);
    }

    @Override
    Subject create(int maxLength) {
      return new IntNSubject(size, maxLength);
    }

    @Override
    long defaultMaxLength() {
      return LengthPrefix.DEFAULT_MAX_LENGTH;
    }

    @Override
    String frame(String payload) {
      return prefix(size, payload.length()) + payload;
    }

    @Override
    List<String> samples() {
      return samples;
    }

    @Override
    int samplesMaxLength() {
      return samplesMaxLength;
    }

    @Override
    String partialFrame() {
      return prefix(size, 2) + "x";
    }

    @Override
    List<String> partialInputs() {
      return partialInputs;
    }

    @Override
    List<String> illegalInputs() {
      return illegalInputs;
    }

    @Override
    String tooLongReport(String payload, int maxLength) {
      return Integer.toString(payload.length()); // the declared length
    }

    @Override
    String[] sendExample() {
      return sendExample;
    }

    @Override
    boolean pauses() {
      return true;
    }
  }

  static final Kind INT32 =
      new IntNKind(
          "Int32StringReceiver",
          4,
          List.of("a", "b".repeat(16)),
          50,
          List.of("\u0000\u0000\u0000", "hello there", ""),
          List.of("\u0010\u0000\u0000\u0000aaaaaa"),
          new String[] {"b".repeat(16), "\u0000\u0000\u0000\u0010" + "b".repeat(16)});

  static final Kind INT16 =
      new IntNKind(
          "Int16StringReceiver",
          2,
          List.of("abc", "", "z".repeat(300)),
          (int) LengthPrefix.DEFAULT_MAX_LENGTH,
          List.of("\u0000", "hello there", ""),
          List.of("\u0010\u0000aaaaaa"),
          new String[] {"hi", "\u0000\u0002hi"});

  static final Kind INT8 =
      new IntNKind(
          "Int8StringReceiver",
          1,
          List.of("a", "y".repeat(255)),
          (int) LengthPrefix.DEFAULT_MAX_LENGTH,
          List.of("\u0008", "dzadz", ""),
          List.of("\u0000\u0000aaaaaa"),
          new String[] {"hi", "\u0002hi"});

  // ---- Netstrings

  static final class NetstringSubject extends Subject {
    final NetstringReceiver receiver;

    NetstringSubject(int maxLength) {
      receiver =
          new NetstringReceiver(maxLength) {
            @Override
            protected void connectionMade() {
              madeWith = transport();
            }

            @Override
            protected void stringReceived(byte[] string) {
              delivered(string);
            }
          };
    }

    @Override
    Protocol protocol() {
      return receiver;
    }

    @Override
    void send(byte[] payload) {
      receiver.sendString(payload);
    }

    @Override
    void setMaxLength(int maxLength) {
      receiver.setMaxLength(maxLength);
    }

    @Override
    long maxLength() {
      return receiver.maxLength();
    }

    @Override
    long partialFrameStart() {
      return receiver.partialFrameStart();
    }

    @Override
    Transport transport() {
      return receiver.transport();
    }

    /** Netstrings have no hook for bad input: they report it through {@code parseError()}. */
    @Override
    List<String> limitReports() {
      FramingError error = receiver.parseError();
      return error == null ? List.of() : List.of(error.message());
    }
  }

  static final Kind NETSTRING =
      new Kind("NetstringReceiver") {
        @Override
        Subject create() {
          return new NetstringSubject(NetstringFramer.DEFAULT_MAX_LENGTH);
        }

        @Override
        Subject create(int maxLength) {
          return new NetstringSubject(maxLength);
        }

        @Override
        long defaultMaxLength() {
          return NetstringFramer.DEFAULT_MAX_LENGTH;
        }

        @Override
        String frame(String payload) {
          return payload.length() + ":" + payload + ",";
        }

        @Override
        List<String> samples() {
          return List.of("hello", "", "how", ",:,", "a".repeat(515));
        }

        @Override
        int samplesMaxLength() {
          return 699;
        }

        @Override
        String partialFrame() {
          return "5:hel";
        }

        @Override
        List<String> partialInputs() {
          return List.of("5:hel", "12", "");
        }

        @Override
        List<String> illegalInputs() {
          return List.of("9999999999999999999999", "abc", "4:abcde", "51:" + "a".repeat(50) + "b,");
        }

        @Override
        String tooLongReport(String payload, int maxLength) {
          return "The received netstring is longer than the maximum of " + maxLength + " bytes.";
        }

        @Override
        String[] sendExample() {
          return new String[] {"hello", "5:hello,"};
        }
      };

  static Stream<Kind> kinds() {
    return Stream.of(LINE, LINE_ONLY, INT32, INT16, INT8, NETSTRING);
  }

  static Stream<Kind> pausingKinds() {
    return kinds().filter(Kind::pauses);
  }

  static Stream<Arguments> kindsAndChunkings() {
    return kinds().flatMap(kind -> Chunking.matrix().stream().map(c -> Arguments.of(kind, c)));
  }

  // ---------------------------------------------------------------------------------------------
  // The contract

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("kindsAndChunkings")
  void framesAreDeliveredInOrderWhateverTheChunkingAndAPartialOneWaits(
      Kind kind, Chunking chunking) {
    Subject r = kind.create(kind.samplesMaxLength());
    StringTransport t = r.connect();
    String complete = kind.frames(kind.samples());
    r.feed(chunking, complete + kind.partialFrame());
    assertThat(r.received).isEqualTo(kind.samples());
    assertThat(t.isDisconnecting()).isFalse();
    assertThat(r.partialFrameStart()).isEqualTo(complete.length());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void partialInputDeliversNothing(Kind kind) {
    for (String input : kind.partialInputs()) {
      Subject r = kind.create(50);
      r.connect();
      r.feed(Chunking.oneByteAtATime(), input);
      assertThat(r.received).as(input).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void sendingWritesOneFramePerPayload(Kind kind) {
    Subject r = kind.create(kind.samplesMaxLength());
    StringTransport t = r.connect();
    for (String payload : kind.samples()) {
      r.send(b(payload));
    }
    assertThat(s(t.value())).isEqualTo(kind.frames(kind.samples()));

    String[] example = kind.sendExample(); // and the test's own framing, checked literally
    t.clear();
    r.send(b(example[0]));
    assertThat(s(t.value())).isEqualTo(example[1]).isEqualTo(kind.frame(example[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aFrameAboveTheMaximumIsNeverDeliveredAndTheConnectionCloses(Kind kind) {
    Subject r = kind.create();
    StringTransport t = r.connect();
    r.setMaxLength(10); // per instance, after connecting, as Twisted's tests set MAX_LENGTH
    r.feed(kind.frame("x".repeat(11)));
    assertThat(r.received).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(r.limitReports()).containsExactly(kind.tooLongReport("x".repeat(11), 10));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("kindsAndChunkings")
  void aFrameOfExactlyTheMaximumIsAcceptedWhateverTheChunking(Kind kind, Chunking chunking) {
    Subject r = kind.create(4);
    StringTransport t = r.connect();
    r.feed(chunking, kind.frame("abcd") + kind.frame("efgh"));
    assertThat(r.received).containsExactly("abcd", "efgh");
    assertThat(t.isDisconnecting()).isFalse();
    assertThat(r.limitReports()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theMaximumIsPerInstance(Kind kind) {
    Subject limited = kind.create();
    Subject other = kind.create();
    StringTransport limitedTransport = limited.connect();
    StringTransport otherTransport = other.connect();
    assertThat(limited.maxLength()).isEqualTo(kind.defaultMaxLength());

    limited.setMaxLength(10);

    assertThat(limited.maxLength()).isEqualTo(10);
    assertThat(other.maxLength()).isEqualTo(kind.defaultMaxLength());
    String eleven = kind.frame("x".repeat(11));
    limited.feed(eleven);
    other.feed(eleven);
    assertThat(limitedTransport.isDisconnecting()).isTrue();
    assertThat(limited.received).isEmpty();
    assertThat(otherTransport.isDisconnecting()).isFalse();
    assertThat(other.received).containsExactly("x".repeat(11));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void raisingTheMaximumLetsLongerFramesThrough(Kind kind) {
    Subject r = kind.create(4);
    StringTransport t = r.connect();
    r.setMaxLength(20);
    r.feed(kind.frame("x".repeat(20)));
    assertThat(r.received).containsExactly("x".repeat(20));
    assertThat(t.isDisconnecting()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aNegativeMaximumIsRejected(Kind kind) {
    Subject r = kind.create();
    assertThatThrownBy(() -> r.setMaxLength(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLength must not be negative: -1");
    assertThat(r.maxLength()).isEqualTo(kind.defaultMaxLength());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void illegalInputClosesTheConnection(Kind kind) {
    for (String input : kind.illegalInputs()) {
      Subject r = kind.create(50);
      StringTransport t = r.connect();
      r.feed(Chunking.oneByteAtATime(), input);
      assertThat(t.isDisconnecting()).as(input).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theTransportIsThereFromConnectionMadeOnAndNotBefore(Kind kind) {
    Subject r = kind.create();
    assertThatThrownBy(r::transport)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not connected yet: makeConnection() has not been called");
    StringTransport t = r.connect();
    assertThat(r.madeWith).isSameAs(t);
    assertThat(r.transport()).isSameAs(t);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aPartialFrameIsReportedFromItsFirstByteUntilItEnds(Kind kind) {
    Subject r = kind.create();
    r.connect();
    assertThat(r.partialFrameStart()).isEqualTo(-1);
    String first = kind.frame("ab");
    String second = kind.frame("xyz");
    int split = second.length() - 1;
    r.feed(first + second.substring(0, split));
    assertThat(r.partialFrameStart()).isEqualTo(first.length());
    r.feed(second.substring(split));
    assertThat(r.partialFrameStart()).isEqualTo(-1);
    assertThat(r.received).containsExactly("ab", "xyz");
  }

  // ---------------------------------------------------------------------------------------------
  // Pausing: the receivers that are push producers (Twisted's _PauseableMixin)

  /** Twisted's ProducerTests.test_pauseResume, with a receiver that pauses after every frame. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pausingKinds")
  void aReceiverThatPausesAfterEveryFrameGetsOneFramePerResume(Kind kind) {
    Subject r = kind.create();
    StringTransport t = r.connect();
    r.onFrame = payload -> r.pause();
    String first = kind.frame("hello, world");

    r.feed(first.substring(0, first.length() - 7)); // a partial frame: nothing, no pause
    assertThat(r.received).isEmpty();
    assertPaused(r, t, false);

    r.feed(first.substring(first.length() - 7)); // the rest: delivered, then paused
    assertThat(r.received).containsExactly("hello, world");
    assertPaused(r, t, true);

    r.resume(); // nothing waiting
    assertThat(r.received).containsExactly("hello, world");
    assertPaused(r, t, false);

    r.feed(kind.frame("hello") + kind.frame("world")); // the first, then paused
    assertThat(r.received).containsExactly("hello, world", "hello");
    assertPaused(r, t, true);

    r.resume(); // the waiting one, paused again
    assertThat(r.received).containsExactly("hello, world", "hello", "world");
    assertPaused(r, t, true);

    r.feed(kind.frame("goodbye")); // while paused: kept
    assertThat(r.received).containsExactly("hello, world", "hello", "world");
    assertPaused(r, t, true);

    r.resume();
    assertThat(r.received).containsExactly("hello, world", "hello", "world", "goodbye");
    assertPaused(r, t, true);

    r.resume(); // nothing waiting
    assertThat(r.received).containsExactly("hello, world", "hello", "world", "goodbye");
    assertPaused(r, t, false);
  }

  private static void assertPaused(Subject r, StringTransport t, boolean paused) {
    assertThat(r.isPaused()).isEqualTo(paused);
    assertThat(t.producerState())
        .isEqualTo(
            paused
                ? StringTransport.ProducerState.PAUSED
                : StringTransport.ProducerState.PRODUCING);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pausingKinds")
  void pausingHoldsFramesUntilResumed(Kind kind) {
    Subject r = kind.create();
    StringTransport t = r.connect();
    r.onFrame =
        payload -> {
          if (payload.equals("pause")) {
            r.pause();
          }
        };
    r.feed(kind.frame("pause") + kind.frame("ok"));
    assertThat(r.received).containsExactly("pause");
    assertPaused(r, t, true);
    r.resume();
    assertThat(r.received).containsExactly("pause", "ok");
    assertPaused(r, t, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pausingKinds")
  void stopProducingStopsDeliveryForGood(Kind kind) {
    Subject r = kind.create();
    StringTransport t = r.connect();
    r.onFrame =
        payload -> {
          if (payload.equals("stop")) {
            r.stop();
          }
        };
    r.feed(kind.frame("a") + kind.frame("stop") + kind.frame("b"));
    r.feed(kind.frame("c"));
    assertThat(r.received).containsExactly("a", "stop");
    assertThat(r.isPaused()).isTrue();
    assertThat(t.producerState()).isEqualTo(StringTransport.ProducerState.STOPPED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void onlyTheLineReceiverAndTheLengthPrefixedReceiversArePushProducers(Kind kind) {
    assertThat(kind.create().protocol() instanceof dev.braid.net.PushProducer)
        .isEqualTo(kind.pauses());
  }
}
