package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.VirtualClock;
import dev.braid.test.Chunking;
import dev.braid.test.StringTransport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Conformance section P, LineReceiver part (spec §20), with Twisted's LineTester. */
class LineReceiverTest {
  /** Twisted's LineTester: delimiter "\n", MAX_LENGTH 64. */
  static final class LineTester extends LineReceiver {
    final List<String> received = new ArrayList<>();
    private final VirtualClock clock;
    private int length;

    LineTester(VirtualClock clock) {
      super(LineFormat.lf().withMaxLength(64));
      this.clock = clock;
    }

    @Override
    protected void lineReceived(byte[] bytes) {
      String line = s(bytes);
      received.add(line);
      if (line.isEmpty()) {
        setRawMode();
      } else if (line.equals("pause")) {
        pauseProducing();
        clock.callLater(0, this::resumeProducing);
      } else if (line.equals("rawpause")) {
        pauseProducing();
        setRawMode();
        received.add("");
        clock.callLater(0, this::resumeProducing);
      } else if (line.equals("stop")) {
        stopProducing();
      } else if (line.startsWith("len ")) {
        length = Integer.parseInt(line.substring(4));
      }
    }

    @Override
    protected void rawDataReceived(byte[] data) {
      int take = Math.min(length, data.length);
      length -= take;
      received.set(
          received.size() - 1, received.get(received.size() - 1) + s(Arrays.copyOf(data, take)));
      if (length == 0) {
        setLineMode(Arrays.copyOfRange(data, take, data.length));
      }
    }

    @Override
    protected void lineLengthExceeded(byte[] line) {
      if (line.length > 65) {
        setLineMode(Arrays.copyOfRange(line, 65, line.length));
      }
    }
  }

  /** Twisted's test loop: range(len // size + 1) slices, so the last one may be empty. */
  private static List<byte[]> twistedSlices(String buffer, int size) {
    byte[] all = b(buffer);
    List<byte[]> slices = new ArrayList<>();
    for (int i = 0; i < all.length / size + 1; i++) {
      slices.add(
          Arrays.copyOfRange(
              all, Math.min(all.length, i * size), Math.min(all.length, (i + 1) * size)));
    }
    return slices;
  }

  private static LineTester tester(StringTransport t, VirtualClock clock) {
    return t.connect(new LineTester(clock));
  }

  // ---- 112. Raw/line switching with every packet size

  @Test
  void rawAndLineModeSwitchingGivesTheSameResultForEveryPacketSize() {
    String buffer =
        "len 10\n\n0123456789len 5\n\n1234\nlen 20\nfoo 123\n\n0123456789\n012345678len 0\nfoo 5\n\n"
            + "1234567890".repeat(7)
            + "\nlen 1\n\na";
    List<String> expected =
        List.of(
            "len 10",
            "0123456789",
            "len 5",
            "1234\n",
            "len 20",
            "foo 123",
            "0123456789\n012345678",
            "len 0",
            "foo 5",
            "",
            "67890",
            "len 1",
            "a");
    for (int size = 1; size <= 9; size++) {
      LineTester t = tester(StringTransport.create(), VirtualClock.create());
      for (byte[] slice : twistedSlices(buffer, size)) {
        t.dataReceived(slice);
      }
      assertThat(t.received).as("packet size " + size).isEqualTo(expected);
    }
  }

  // ---- 113. Line-length limits

  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void aLineLongerThanMaxLengthLosesTheConnection(Chunking chunking) {
    assertThat(closesAfter(chunking, "x".repeat(16385) + "\r\nr")).isTrue();
    assertThat(closesAfter(chunking, "x".repeat(16386))).isTrue();
  }

  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void anUnfinishedLineShorterThanMaxLengthPlusDelimiterWaits(Chunking chunking) {
    assertThat(closesAfter(chunking, "x".repeat(16384) + "\r")).isFalse();
    assertThat(closesAfter(chunking, "x".repeat(16385))).isFalse();
  }

  private static boolean closesAfter(Chunking chunking, String input) {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(LineFormat.crlf()));
    for (byte[] read : chunking.split(b(input))) {
      r.dataReceived(read);
    }
    assertThat(r.received).isEmpty();
    return t.isDisconnecting();
  }

  @Test
  void aPartialLineWithinTheLimitWaitsAcrossEmptyReads() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(LineFormat.lf().withMaxLength(4)));
    r.dataReceived(b("xxx"));
    r.dataReceived(b(""));
    r.dataReceived(b("\nxxx"));
    assertThat(r.received).containsExactly("xxx");
    assertThat(t.isDisconnecting()).isFalse();
  }

  @Test
  void lineLengthExceededGetsTheWholeBufferAndNothingIsDelivered() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(LineFormat.crlf().withMaxLength(4)));
    r.dataReceived(b("abcde\r\nxyz\r\n"));
    assertThat(r.exceeded).containsExactly("abcde\r\nxyz\r\n");
    assertThat(r.received).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }

  /** Records lines and exceeded buffers; lineLengthExceeded keeps the default too. */
  static class Recorder extends LineReceiver {
    final List<String> received = new ArrayList<>();
    final List<String> exceeded = new ArrayList<>();

    Recorder(LineFormat format) {
      super(format);
    }

    Recorder() {}

    @Override
    protected void lineReceived(byte[] line) {
      received.add(s(line));
    }

    @Override
    protected void lineLengthExceeded(byte[] buffered) {
      exceeded.add(s(buffered));
      super.lineLengthExceeded(buffered);
    }
  }

  // ---- 115. Stopping, clearing the buffer, and mode switching without recursion

  @Test
  void stopProducingInsideALineStopsProcessingForEveryPacketSize() {
    String stopBuf = "twiddle1\ntwiddle2\nstop\nmore\nstuff\n";
    for (int size = 1; size <= 9; size++) {
      StringTransport transport = StringTransport.create();
      LineTester t = tester(transport, VirtualClock.create());
      for (byte[] slice : twistedSlices(stopBuf, size)) {
        t.dataReceived(slice);
      }
      assertThat(t.received)
          .as("packet size " + size)
          .containsExactly("twiddle1", "twiddle2", "stop");
      assertThat(transport.producerState()).isEqualTo(StringTransport.ProducerState.STOPPED);
    }
  }

  @Test
  void clearLineBufferInsideLineReceivedReturnsTheRestOfTheBuffer() {
    String[] seen = new String[2];
    LineReceiver clearing =
        new LineReceiver() {
          @Override
          protected void lineReceived(byte[] line) {
            seen[0] = s(line);
            seen[1] = s(clearLineBuffer());
          }
        };
    StringTransport.create().connect(clearing);
    clearing.dataReceived(b("foo\r\nbar\r\nbaz"));
    assertThat(seen).containsExactly("foo", "bar\r\nbaz");
    clearing.dataReceived(b("quux\r\n"));
    assertThat(seen).containsExactly("quux", "");
  }

  @Test
  void switchingModesFromCallbacksDoesNotRecurse() {
    int n = 10_000;
    StringBuilder lines = new StringBuilder();
    LineReceiver flipping =
        new LineReceiver(LineFormat.lf()) {
          @Override
          protected void lineReceived(byte[] line) {
            lines.append(s(line));
            setRawMode();
          }

          @Override
          protected void rawDataReceived(byte[] data) {
            setLineMode(Arrays.copyOfRange(data, 1, data.length));
          }
        };
    StringTransport.create().connect(flipping);
    flipping.dataReceived(b("x\nx".repeat(n)));
    assertThat(lines.toString()).isEqualTo("x".repeat(n));
  }

  @Test
  void processingStopsWhenTheTransportIsDisconnectingAndTheRestStaysBuffered() {
    StringTransport t = StringTransport.create();
    Recorder r =
        t.connect(
            new Recorder() {
              @Override
              protected void lineReceived(byte[] line) {
                super.lineReceived(line);
                if (s(line).equals("quit")) {
                  transport().loseConnection();
                }
              }
            });
    r.dataReceived(b("a\r\nb\r\nquit\r\nc\r\nd"));
    assertThat(r.received).containsExactly("a", "b", "quit");
    assertThat(s(r.clearLineBuffer())).isEqualTo("c\r\nd");
  }

  @Test
  void anExceptionFromRawDataReceivedLeavesDataReceivedAndTheReceiverUsable() {
    List<String> raw = new ArrayList<>();
    LineReceiver failing =
        new LineReceiver() {
          @Override
          protected void lineReceived(byte[] line) {
            setRawMode();
          }

          @Override
          protected void rawDataReceived(byte[] data) {
            raw.add(s(data));
            if (raw.size() == 1) {
              throw new IllegalStateException("oops");
            }
          }
        };
    StringTransport.create().connect(failing);
    assertThatThrownBy(() -> failing.dataReceived(b("go\r\nfirst"))).hasMessage("oops");
    failing.dataReceived(b("second"));
    assertThat(raw).containsExactly("first", "second");
  }

  @Test
  void rawModeWithoutRawDataReceivedFailsClearly() {
    LineReceiver lines =
        new LineReceiver() {
          @Override
          protected void lineReceived(byte[] line) {
            setRawMode();
          }
        };
    StringTransport.create().connect(lines);
    assertThatThrownBy(() -> lines.dataReceived(b("a\r\nraw")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("does not override rawDataReceived");
  }

  // ---- 116. Pausing inside line and raw processing

  @Test
  void pausingInsideLineProcessingHoldsTheRestUntilResumed() {
    String pauseBuf = "twiddle1\ntwiddle2\npause\ntwiddle3\n";
    for (int size = 1; size <= 9; size++) {
      VirtualClock clock = VirtualClock.create();
      StringTransport transport = StringTransport.create();
      LineTester t = tester(transport, clock);
      for (byte[] slice : twistedSlices(pauseBuf, size)) {
        t.dataReceived(slice);
      }
      assertThat(t.received)
          .as("packet size " + size)
          .containsExactly("twiddle1", "twiddle2", "pause");
      assertThat(transport.producerState()).isEqualTo(StringTransport.ProducerState.PAUSED);
      clock.advance(0);
      assertThat(t.received)
          .as("packet size " + size)
          .containsExactly("twiddle1", "twiddle2", "pause", "twiddle3");
      assertThat(transport.producerState()).isEqualTo(StringTransport.ProducerState.PRODUCING);
    }
  }

  @Test
  void pausingBeforeRawModeHoldsTheRawDataUntilResumed() {
    String rawpauseBuf = "twiddle1\ntwiddle2\nlen 5\nrawpause\n12345twiddle3\n";
    for (int size = 1; size <= 9; size++) {
      VirtualClock clock = VirtualClock.create();
      LineTester t = tester(StringTransport.create(), clock);
      for (byte[] slice : twistedSlices(rawpauseBuf, size)) {
        t.dataReceived(slice);
      }
      assertThat(t.received)
          .as("packet size " + size)
          .containsExactly("twiddle1", "twiddle2", "len 5", "rawpause", "");
      clock.advance(0);
      assertThat(t.received)
          .as("packet size " + size)
          .containsExactly("twiddle1", "twiddle2", "len 5", "rawpause", "12345", "twiddle3");
    }
  }

  // ---- Other behaviour

  @Test
  void aBareLineFeedIsNotADelimiterByDefault() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder());
    r.dataReceived(b("a\nb\r\n"));
    assertThat(r.received).containsExactly("a\nb");
  }

  @Test
  void thePartialFrameIsTheBufferedLineInLineModeOnly() {
    StringTransport t = StringTransport.create();
    LineTester r = tester(t, VirtualClock.create());
    r.dataReceived(b("len 3\nab"));
    assertThat(r.partialFrameStart()).isEqualTo(6);
    r.dataReceived(b("\n\n"));
    assertThat(r.isLineMode()).isFalse();
    assertThat(r.partialFrameStart()).isEqualTo(-1);
  }

  @Test
  void loweringTheMaximumAppliesToTheLineBeingReceived() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(LineFormat.crlf().withMaxLength(50)));
    r.dataReceived(b("x".repeat(20)));
    r.setMaxLength(10);
    assertThat(r.format()).isEqualTo(LineFormat.crlf().withMaxLength(10));
    r.dataReceived(b("y"));
    assertThat(r.exceeded).containsExactly("x".repeat(20) + "y");
    assertThat(r.received).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }
}
