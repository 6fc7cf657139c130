package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.test.Chunking;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LineFramerTest {
  private static List<String> parse(LineFramer framer, Chunking chunking, String input) {
    List<String> lines = new ArrayList<>();
    for (byte[] read : chunking.split(b(input))) {
      framer.append(read);
      for (byte[] line; (line = framer.next()) != null; ) {
        lines.add(s(line));
      }
      if (framer.error() != null) {
        break;
      }
    }
    return lines;
  }

  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void thousandsOfShortLinesSplitInOrder(Chunking chunking) {
    StringBuilder wire = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      expected.add("line " + i);
      wire.append("line ").append(i).append("\r\n");
    }
    LineFramer framer = LineFramer.create(LineFormat.crlf());
    assertThat(parse(framer, chunking, wire.toString())).isEqualTo(expected);
    assertThat(framer.buffered()).isZero();
  }

  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void aTooLongLineIsReportedAtTheSameByteWhateverTheChunking(Chunking chunking) {
    Object[][] cases = {
      {LineFormat.lf().withMaxLength(4), "ok\nxxxxx", 7L},
      {LineFormat.crlf().withMaxLength(4), "xxxx\r\r", 5L},
      {LineFormat.crlf().withMaxLength(4), "xxxxy", 4L},
      {LineFormat.crlf().withMaxLength(4), "xxxx\rx", 5L},
      {LineFormat.delimitedBy("<END>").withMaxLength(2), "ab<ENx", 5L},
      {LineFormat.delimitedBy("<END>").withMaxLength(2), "abc", 2L},
    };
    for (Object[] c : cases) {
      LineFramer framer = LineFramer.create((LineFormat) c[0]);
      parse(framer, chunking, (String) c[1]);
      assertThat(framer.error()).as((String) c[1]).isNotNull();
      assertThat(framer.error().position()).as((String) c[1]).isEqualTo((long) c[2]);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void aLineOfExactlyMaxLengthIsAcceptedWithAMultiByteDelimiter(Chunking chunking) {
    LineFramer framer = LineFramer.create(LineFormat.delimitedBy("<END>").withMaxLength(2));
    assertThat(parse(framer, chunking, "ab<END>c<END><END>")).containsExactly("ab", "c", "");
    assertThat(framer.error()).isNull();
  }

  @Test
  void discardLineSkipsToTheNextDelimiter() {
    LineFramer framer = LineFramer.create(LineFormat.crlf().withMaxLength(4));
    framer.append(b("toolong"));
    assertThat(framer.next()).isNull();
    assertThat(framer.error().kind()).isEqualTo(FramingError.Kind.LINE_TOO_LONG);
    assertThat(s(framer.currentLine())).isEqualTo("toolong");
    framer.discardLine();
    assertThat(framer.error()).isNull();
    framer.append(b("still going\r"));
    assertThat(framer.next()).isNull();
    framer.append(b("\nnext\r\n"));
    assertThat(s(framer.next())).isEqualTo("next");
  }

  @Test
  void clearReturnsEverythingBufferedAndResetsTheError() {
    LineFramer framer = LineFramer.create(LineFormat.lf().withMaxLength(2));
    framer.append(b("abc\nd"));
    assertThat(framer.next()).isNull();
    assertThat(s(framer.clear())).isEqualTo("abc\nd");
    assertThat(framer.error()).isNull();
    assertThat(framer.buffered()).isZero();
  }

  @Test
  void aLongLineFedOneByteAtATimeIsExaminedInLinearTime() {
    int n = 200_000;
    LineFramer framer = LineFramer.create(LineFormat.crlf().withMaxLength(n));
    byte[] one = {'x'};
    for (int i = 0; i < n; i++) {
      framer.append(one);
      assertThat(framer.next()).isNull();
    }
    framer.append(b("\r"));
    assertThat(framer.next()).isNull();
    framer.append(b("\n"));
    assertThat(framer.next()).hasSize(n);
    // Each byte is looked at about once; a rescan from the line's start would be n*n/2.
    assertThat(framer.bytesExamined()).isLessThanOrEqualTo(2L * (n + 2));
  }

  @Test
  void thousandsOfLinesInOneReadAreExaminedInLinearTime() {
    String wire = "ab\r\n".repeat(50_000);
    LineFramer framer = LineFramer.create(LineFormat.crlf());
    framer.append(b(wire));
    int lines = 0;
    while (framer.next() != null) {
      lines++;
    }
    assertThat(lines).isEqualTo(50_000);
    assertThat(framer.bytesExamined()).isLessThanOrEqualTo(2L * wire.length());
  }

  @Test
  void twistedsLineReceiverRuleWaitsForMaxLengthPlusTheDelimiter() {
    LineFramer framer = LineFramer.forLineReceiver(LineFormat.crlf().withMaxLength(4));
    framer.append(b("xxxxx"));
    assertThat(framer.next()).isNull();
    assertThat(framer.error()).isNull();
    framer.append(b("x"));
    assertThat(framer.next()).isNull();
    assertThat(framer.error().position()).isEqualTo(5);
  }
}
