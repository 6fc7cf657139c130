package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.prefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.test.Chunking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LengthPrefixFramerTest {
  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void anOverlongLengthIsReportedAtThePrefixsLastByteWhateverTheChunking(Chunking chunking) {
    LengthPrefixFramer framer = LengthPrefixFramer.create(LengthPrefix.int32().withMaxLength(10));
    int frames = 0;
    for (byte[] read : chunking.split(b(prefix(4, 2) + "ok" + prefix(4, 11) + "x".repeat(11)))) {
      framer.append(read);
      while (framer.next() != null) {
        frames++;
      }
    }
    assertThat(frames).isEqualTo(1);
    assertThat(framer.error().kind()).isEqualTo(FramingError.Kind.LENGTH_TOO_LONG);
    assertThat(framer.error().position()).isEqualTo(9);
    assertThat(framer.declaredLength()).isEqualTo(11);
  }

  @Test
  void aHugeDeclaredLengthCostsOnlyTheBytesThatArrived() {
    LengthPrefixFramer framer =
        LengthPrefixFramer.create(LengthPrefix.int32().withMaxLength(Integer.MAX_VALUE));
    framer.append(b(prefix(4, 0x7fff_0000L) + "0123456789"));
    assertThat(framer.next()).isNull();
    assertThat(framer.error()).isNull();
    assertThat(framer.buffered()).isEqualTo(14);
    assertThat(framer.declaredLength()).isEqualTo(0x7fff_0000L);
  }

  @Test
  void thousandsOfFramesByteByByteAreExaminedInLinearTime() {
    StringBuilder wire = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      wire.append(prefix(2, 3)).append("abc");
    }
    byte[] input = b(wire.toString());
    LengthPrefixFramer framer = LengthPrefixFramer.create(LengthPrefix.int16());
    int frames = 0;
    for (byte[] read : Chunking.oneByteAtATime().split(input)) {
      framer.append(read);
      while (framer.next() != null) {
        frames++;
      }
    }
    assertThat(frames).isEqualTo(5000);
    assertThat(framer.bytesExamined()).isEqualTo(5000L * 2);
  }

  @Test
  void lengthPrefixShapesCheckTheirArguments() {
    assertThatThrownBy(() -> new LengthPrefix(3, 10))
        .hasMessage("prefix size must be 1, 2 or 4 bytes: 3");
    assertThatThrownBy(() -> LengthPrefix.int8().withMaxLength(-1))
        .hasMessage("maxLength must not be negative: -1");
    assertThat(LengthPrefix.int16().limit()).isEqualTo(65536);
  }
}
