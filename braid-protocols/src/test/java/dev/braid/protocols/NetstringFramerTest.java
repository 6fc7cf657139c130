package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.test.Chunking;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NetstringFramerTest {
  static List<Chunking> chunkings() {
    return Chunking.matrix();
  }

  private static List<String> drain(NetstringFramer framer) {
    List<String> out = new ArrayList<>();
    for (byte[] frame; (frame = framer.next()) != null; ) {
      out.add(s(frame));
    }
    return out;
  }

  private static List<String> parse(NetstringFramer framer, Chunking chunking, String input) {
    List<String> out = new ArrayList<>();
    for (byte[] read : chunking.split(b(input))) {
      framer.append(read);
      out.addAll(drain(framer));
    }
    return out;
  }

  @Test
  void encodeWritesTheDecimalLengthColonPayloadAndComma() {
    assertThat(s(NetstringFramer.encode(b("hello")))).isEqualTo("5:hello,");
    assertThat(s(NetstringFramer.encode(b("")))).isEqualTo("0:,");
  }

  @ParameterizedTest
  @MethodSource("chunkings")
  void thousandsOfTinyFramesParseInOrder(Chunking chunking) {
    StringBuilder wire = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String payload = Integer.toString(i);
      expected.add(payload);
      wire.append(payload.length()).append(':').append(payload).append(',');
    }
    NetstringFramer framer = NetstringFramer.create();
    assertThat(parse(framer, chunking, wire.toString())).isEqualTo(expected);
    assertThat(framer.error()).isNull();
    assertThat(framer.buffered()).isZero();
  }

  @ParameterizedTest
  @MethodSource("chunkings")
  void anErrorIsReportedAtTheSameByteWhateverTheChunking(Chunking chunking) {
    String[][] cases = {
      {"3:abc,03:abc,", "7"}, {"3:abc;", "5"}, {"100000:", "5"}, {"1234567", "5"}, {"12\n", "2"},
    };
    for (String[] c : cases) {
      NetstringFramer framer = NetstringFramer.create();
      parse(framer, chunking, c[0]);
      assertThat(framer.error()).as(c[0]).isNotNull();
      assertThat(framer.error().position()).as(c[0]).isEqualTo(Long.parseLong(c[1]));
    }
  }

  @Test
  void inputAfterAnErrorIsDroppedWithoutBuffering() {
    NetstringFramer framer = NetstringFramer.create();
    framer.append(b("x"));
    assertThat(framer.next()).isNull();
    framer.append(new byte[100_000]);
    assertThat(framer.next()).isNull();
    assertThat(framer.buffered()).isEqualTo(1);
  }

  @Test
  void aDeclaredLengthIsNeverAllocatedAhead() {
    NetstringFramer framer = NetstringFramer.create();
    framer.append(b("99999:abc"));
    assertThat(framer.next()).isNull();
    assertThat(framer.buffered()).isEqualTo(3);
  }

  @Test
  void aNegativeMaximumIsRejected() {
    assertThatThrownBy(() -> NetstringFramer.create(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLength must not be negative: -1");
  }

  @Test
  void aMaximumOfZeroAcceptsOnlyTheEmptyString() {
    NetstringFramer framer = NetstringFramer.create(0);
    framer.append(b("0:,1"));
    assertThat(drain(framer)).containsExactly("");
    assertThat(framer.error().kind()).isEqualTo(FramingError.Kind.LENGTH_TOO_LONG);
  }

  @Test
  void parsingByteByByteExaminesEachByteAtMostOnce() {
    StringBuilder wire = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      wire.append("5:hello,");
    }
    wire.append("99999:").append("x".repeat(99_999)).append(',');
    byte[] input = b(wire.toString());
    NetstringFramer framer = NetstringFramer.create();
    int frames = 0;
    for (byte[] read : Chunking.oneByteAtATime().split(input)) {
      framer.append(read);
      while (framer.next() != null) {
        frames++;
      }
    }
    assertThat(frames).isEqualTo(2001);
    assertThat(framer.bytesExamined()).isLessThanOrEqualTo(input.length);
    // The payload bytes are counted, not examined: only the headers and commas are.
    assertThat(framer.bytesExamined()).isEqualTo(2000L * 3 + 7);
  }
}
