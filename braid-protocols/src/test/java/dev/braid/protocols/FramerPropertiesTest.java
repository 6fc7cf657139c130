package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random message sequences under random chunking parse exactly like one-shot input: the same
 * frames, and the same error (kind and byte position) if the input is bad.
 */
class FramerPropertiesTest {
  /** What a framer made of a stream: the frames before the first error, and that error. */
  record Parse(List<String> frames, FramingError.Kind errorKind, long errorPosition) {}

  /** Drives any of the three framers the same way. */
  interface Framer {
    void append(byte[] data);

    byte[] next();

    FramingError error();
  }

  private static Parse parse(Framer framer, byte[] stream, List<Integer> chunkSizes) {
    List<String> frames = new ArrayList<>();
    int at = 0;
    int chunk = 0;
    while (at < stream.length && framer.error() == null) {
      int size = chunkSizes.isEmpty() ? stream.length : chunkSizes.get(chunk++ % chunkSizes.size());
      int end = Math.min(stream.length, at + size);
      framer.append(Arrays.copyOfRange(stream, at, end));
      at = end;
      for (byte[] frame; (frame = framer.next()) != null; ) {
        frames.add(s(frame));
      }
    }
    FramingError error = framer.error();
    return new Parse(
        frames, error == null ? null : error.kind(), error == null ? -1 : error.position());
  }

  private static void assertChunkingDoesNotMatter(
      Function<Void, Framer> framers, byte[] stream, List<Integer> chunkSizes) {
    Parse whole = parse(framers.apply(null), stream, List.of());
    Parse chunked = parse(framers.apply(null), stream, chunkSizes);
    Parse byteByByte = parse(framers.apply(null), stream, List.of(1));
    assertThat(chunked).isEqualTo(whole);
    assertThat(byteByByte).isEqualTo(whole);
  }

  private static byte[] corrupt(byte[] stream, int index, char replacement) {
    if (index >= 0 && index < stream.length) {
      stream[index] = (byte) replacement;
    }
    return stream;
  }

  @Provide
  Arbitrary<List<Integer>> chunkSizes() {
    return Arbitraries.integers().between(1, 20).list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<String>> payloads() {
    return Arbitraries.strings().withChars("ab:,09\r\n").ofMaxLength(40).list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<Character> noise() {
    return Arbitraries.of('x', ':', ',', '0', '5', '\n', '\r', '\u00ff', '\u0000');
  }

  @Property(tries = 400)
  void netstringsParseTheSameUnderAnyChunking(
      @ForAll("payloads") List<String> payloads,
      @ForAll @IntRange(min = 0, max = 45) int maxLength,
      @ForAll @IntRange(min = -1, max = 300) int corruptAt,
      @ForAll("noise") char corruption,
      @ForAll("chunkSizes") List<Integer> chunkSizes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    payloads.forEach(p -> out.writeBytes(NetstringFramer.encode(b(p))));
    byte[] stream = corrupt(out.toByteArray(), corruptAt, corruption);
    assertChunkingDoesNotMatter(
        unused -> {
          NetstringFramer f = NetstringFramer.create(maxLength);
          return new Framer() {
            @Override
            public void append(byte[] data) {
              f.append(data);
            }

            @Override
            public byte[] next() {
              return f.next();
            }

            @Override
            public FramingError error() {
              return f.error();
            }
          };
        },
        stream,
        chunkSizes);
  }

  @Property(tries = 400)
  void linesParseTheSameUnderAnyChunking(
      @ForAll @Size(max = 200)
          List<@net.jqwik.api.constraints.CharRange(from = '<', to = 'E') Character> noiseChars,
      @ForAll("payloads") List<String> lines,
      @ForAll @IntRange(min = 0, max = 3) int delimiterChoice,
      @ForAll @IntRange(min = 0, max = 30) int maxLength,
      @ForAll @IntRange(min = -1, max = 300) int corruptAt,
      @ForAll("noise") char corruption,
      @ForAll("chunkSizes") List<Integer> chunkSizes) {
    String delimiter = List.of("\n", "\r\n", "<END>", "\r\n\r\n").get(delimiterChoice);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      text.append(lines.get(i));
      if (i < noiseChars.size()) {
        text.append(noiseChars.get(i));
      }
      text.append(delimiter);
    }
    byte[] stream = corrupt(b(text.toString()), corruptAt, corruption);
    LineFormat format = LineFormat.delimitedBy(delimiter).withMaxLength(maxLength);
    for (Function<LineFormat, LineFramer> make :
        List.<Function<LineFormat, LineFramer>>of(
            LineFramer::create, LineFramer::forLineReceiver)) {
      assertChunkingDoesNotMatter(
          unused -> {
            LineFramer f = make.apply(format);
            return new Framer() {
              @Override
              public void append(byte[] data) {
                f.append(data);
              }

              @Override
              public byte[] next() {
                return f.next();
              }

              @Override
              public FramingError error() {
                return f.error();
              }
            };
          },
          stream,
          chunkSizes);
    }
  }

  @Property(tries = 400)
  void lengthPrefixedFramesParseTheSameUnderAnyChunking(
      @ForAll("payloads") List<String> payloads,
      @ForAll @IntRange(min = 0, max = 2) int sizeChoice,
      @ForAll @IntRange(min = 0, max = 45) int maxLength,
      @ForAll @IntRange(min = -1, max = 300) int corruptAt,
      @ForAll("noise") char corruption,
      @ForAll("chunkSizes") List<Integer> chunkSizes) {
    LengthPrefix prefix =
        List.of(LengthPrefix.int8(), LengthPrefix.int16(), LengthPrefix.int32())
            .get(sizeChoice)
            .withMaxLength(maxLength);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    payloads.forEach(p -> out.writeBytes(prefix.encode(b(p))));
    byte[] stream = corrupt(out.toByteArray(), corruptAt, corruption);
    assertChunkingDoesNotMatter(
        unused -> {
          LengthPrefixFramer f = LengthPrefixFramer.create(prefix);
          return new Framer() {
            @Override
            public void append(byte[] data) {
              f.append(data);
            }

            @Override
            public byte[] next() {
              return f.next();
            }

            @Override
            public FramingError error() {
              return f.error();
            }
          };
        },
        stream,
        chunkSizes);
  }
}
