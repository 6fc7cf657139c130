package dev.braid.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.braid.net.ConnectionDone;
import dev.braid.test.StringTransport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Jazzer fuzz targets for the three framers and the netstring receiver (reliability item 1 in
 * docs/reliability.md).
 *
 * <p>Each target feeds fuzzer-chosen bytes, in fuzzer-chosen chunks, to a framer with a
 * fuzzer-chosen limit and checks that:
 *
 * <ul>
 *   <li>nothing throws: bad input is only ever the documented {@link FramingError}, of the kinds
 *       the framer documents;
 *   <li>the chunked parse equals the one-shot parse (frames, and the error's kind and position) and
 *       an independent reference parser written from the format's definition;
 *   <li>the buffer never holds more than one frame's worth of bytes plus the chunk just appended,
 *       whatever length the peer declared (so {@code -Xmx64m} is plenty: see the {@code
 *       fuzz-regression} execution in this module's POM).
 * </ul>
 *
 * <p>Without {@code JAZZER_FUZZ} (every build) each target runs on its checked-in inputs, under
 * {@code src/test/resources/dev/braid/protocols/FramerFuzzTestInputs/<target>/}. With {@code
 * JAZZER_FUZZ=1} one target is fuzzed for its {@code maxDuration}: {@code bench/run-fuzz}.
 */
class FramerFuzzTest {
  /** The error kinds a netstring framer may report. */
  private static final Set<FramingError.Kind> NETSTRING_ERRORS =
      EnumSet.of(
          FramingError.Kind.MISSING_LENGTH,
          FramingError.Kind.LENGTH_TOO_LONG,
          FramingError.Kind.MISSING_COMMA);

  /** Splits the rest of the input into chunks whose sizes the fuzzer picks (1 to 64 bytes). */
  private static List<byte[]> chunks(FuzzedDataProvider data) {
    int n = data.consumeInt(1, 64);
    byte[] rest = data.consumeRemainingAsBytes();
    List<byte[]> chunks = new ArrayList<>();
    // Chunk sizes come from the input itself, so the same bytes always split the same way.
    int at = 0;
    int size = n;
    while (at < rest.length) {
      int end = Math.min(rest.length, at + size);
      chunks.add(Arrays.copyOfRange(rest, at, end));
      at = end;
      size = 1 + (size * 31 + 7) % 64;
    }
    return chunks;
  }

  private static byte[] concat(List<byte[]> chunks) {
    int total = 0;
    for (byte[] c : chunks) {
      total += c.length;
    }
    byte[] all = new byte[total];
    int at = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, all, at, c.length);
      at += c.length;
    }
    return all;
  }

  /** Frames and the first error. */
  record Parse(List<String> frames, FramingError.Kind kind, long position) {}

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------------------------------------
  // Netstrings

  @FuzzTest(maxDuration = "10m")
  void netstringFramer(FuzzedDataProvider data) {
    int maxLength =
        data.consumeBoolean() ? NetstringFramer.DEFAULT_MAX_LENGTH : data.consumeInt(0, 300);
    List<byte[]> chunks = chunks(data);
    Parse chunked = netstrings(maxLength, chunks);
    Parse whole = netstrings(maxLength, List.of(concat(chunks)));
    assertThat(chunked).isEqualTo(whole);
    assertThat(chunked).isEqualTo(referenceNetstrings(maxLength, concat(chunks)));
  }

  private static Parse netstrings(int maxLength, List<byte[]> chunks) {
    NetstringFramer framer = NetstringFramer.create(maxLength);
    int header = Integer.toString(maxLength).length() + 1;
    List<String> frames = new ArrayList<>();
    int bufferedAtError = -1;
    for (byte[] chunk : chunks) {
      framer.append(chunk);
      for (byte[] f; (f = framer.next()) != null; ) {
        assertThat(f.length).isLessThanOrEqualTo(maxLength);
        frames.add(text(f));
      }
      if (framer.error() == null) {
        // At most one unfinished frame: its length's digits are parsed as they come.
        assertThat(framer.buffered()).isLessThanOrEqualTo(header + maxLength + 1);
      } else if (bufferedAtError < 0) {
        bufferedAtError = framer.buffered();
        assertThat(bufferedAtError).isLessThanOrEqualTo(header + maxLength + 1 + chunk.length);
      } else {
        assertThat(framer.buffered())
            .as("input after an error is dropped")
            .isEqualTo(bufferedAtError);
      }
    }
    FramingError e = framer.error();
    if (e != null) {
      assertThat(NETSTRING_ERRORS).contains(e.kind());
      assertThat(framer.next()).isNull();
    }
    return new Parse(frames, e == null ? null : e.kind(), e == null ? -1 : e.position());
  }

  /** Netstrings from their definition: {@code 0|[1-9][0-9]*} ':' payload ','. */
  static Parse referenceNetstrings(int maxLength, byte[] in) {
    List<String> frames = new ArrayList<>();
    int i = 0;
    while (i < in.length) {
      int start = i;
      long length = 0;
      while (i < in.length && in[i] >= '0' && in[i] <= '9') {
        if (i > start && in[start] == '0') {
          return new Parse(frames, FramingError.Kind.MISSING_LENGTH, i); // leading zero
        }
        length = length * 10 + (in[i] - '0');
        if (length > maxLength) {
          return new Parse(frames, FramingError.Kind.LENGTH_TOO_LONG, i);
        }
        i++;
      }
      if (i == in.length) {
        break; // the length is not finished
      }
      if (in[i] != ':' || i == start) {
        return new Parse(frames, FramingError.Kind.MISSING_LENGTH, i);
      }
      i++;
      if (in.length - i <= length) {
        break; // the payload or its comma has not arrived
      }
      int end = i + (int) length;
      if (in[end] != ',') {
        return new Parse(frames, FramingError.Kind.MISSING_COMMA, end);
      }
      frames.add(text(Arrays.copyOfRange(in, i, end)));
      i = end + 1;
    }
    return new Parse(frames, null, -1);
  }

  @FuzzTest(maxDuration = "10m")
  void netstringReceiver(FuzzedDataProvider data) {
    List<byte[]> chunks = chunks(data);
    List<String> received = new ArrayList<>();
    NetstringReceiver receiver =
        new NetstringReceiver(200) {
          @Override
          protected void stringReceived(byte[] string) {
            received.add(text(string));
          }
        };
    StringTransport transport = StringTransport.create();
    transport.connect(receiver);
    // Protocol.dataReceived: the array belongs to the receiver from then on (it may keep and
    // reuse it), so the reference parse reads the input before it is handed over.
    Parse expected = referenceNetstrings(200, concat(chunks));
    for (byte[] chunk : chunks) {
      receiver.dataReceived(chunk);
    }
    assertThat(received).isEqualTo(expected.frames());
    if (expected.kind() == null) {
      assertThat(transport.loseConnectionCalls()).isZero();
      assertThat(receiver.parseError()).isNull();
    } else {
      assertThat(transport.loseConnectionCalls()).as("closed once").isEqualTo(1);
      assertThat(receiver.parseError().kind()).isEqualTo(expected.kind());
      assertThat(receiver.partialFrameStart()).isEqualTo(-1);
    }
    receiver.connectionLost(new ConnectionDone());
  }

  // ---------------------------------------------------------------------------------------------
  // Lines

  @FuzzTest(maxDuration = "10m")
  void lineFramer(FuzzedDataProvider data) {
    LineFormat format =
        switch (data.consumeInt(0, 2)) {
          case 0 -> LineFormat.crlf();
          case 1 -> LineFormat.lf();
          default -> LineFormat.delimitedBy(data.consumeBoolean() ? "\r\n\r\n" : "ab");
        };
    format = format.withMaxLength(data.consumeInt(0, 100));
    boolean discard = data.consumeBoolean();
    List<byte[]> chunks = chunks(data);
    Lines chunked = lines(format, discard, chunks);
    Lines whole = lines(format, discard, List.of(concat(chunks)));
    assertThat(chunked).isEqualTo(whole);
    String input = text(concat(chunks));
    String delimiter = text(format.delimiter());
    for (String line : chunked.lines()) {
      assertThat(line.length()).isLessThanOrEqualTo(format.maxLength());
      assertThat(line).doesNotContain(delimiter);
      assertThat(input).contains(line + delimiter);
    }
    if (!discard) {
      assertThat(chunked.errors()).hasSizeLessThanOrEqualTo(1);
    }
  }

  /** Lines, and the position of each error. */
  record Lines(List<String> lines, List<Long> errors) {}

  /** Parses lines; after an error, discards the line and goes on, or stops. */
  private static Lines lines(LineFormat format, boolean discard, List<byte[]> chunks) {
    LineFramer framer = LineFramer.create(format);
    int bound = format.maxLength() + format.delimiter().length;
    List<String> out = new ArrayList<>();
    List<Long> errors = new ArrayList<>();
    boolean stopped = false;
    for (byte[] chunk : chunks) {
      if (stopped) {
        break;
      }
      framer.append(chunk);
      while (true) {
        byte[] line = framer.next();
        if (line != null) {
          out.add(text(line));
          continue;
        }
        FramingError e = framer.error();
        if (e == null) {
          break;
        }
        assertThat(e.kind()).isEqualTo(FramingError.Kind.LINE_TOO_LONG);
        errors.add(e.position());
        if (!discard) {
          stopped = true;
          break;
        }
        framer.discardLine();
      }
      if (!stopped) {
        assertThat(framer.buffered()).isLessThanOrEqualTo(bound);
      }
    }
    return new Lines(out, errors);
  }

  // ---------------------------------------------------------------------------------------------
  // Length prefixes

  @FuzzTest(maxDuration = "10m")
  void lengthPrefixFramer(FuzzedDataProvider data) {
    int size = data.pickValue(new int[] {1, 2, 4});
    long maxLength =
        switch (data.consumeInt(0, 2)) {
          case 0 -> LengthPrefix.DEFAULT_MAX_LENGTH;
          case 1 -> data.consumeLong(0, 300);
          default -> data.consumeLong(0, Long.MAX_VALUE);
        };
    LengthPrefix prefix = new LengthPrefix(size, maxLength);
    List<byte[]> chunks = chunks(data);
    Parse chunked = prefixed(prefix, chunks);
    Parse whole = prefixed(prefix, List.of(concat(chunks)));
    assertThat(chunked).isEqualTo(whole);
    assertThat(chunked).isEqualTo(referencePrefixed(prefix, concat(chunks)));
  }

  private static Parse prefixed(LengthPrefix prefix, List<byte[]> chunks) {
    LengthPrefixFramer framer = LengthPrefixFramer.create(prefix);
    List<String> frames = new ArrayList<>();
    long received = 0;
    long delivered = 0;
    for (byte[] chunk : chunks) {
      received += chunk.length;
      framer.append(chunk);
      for (byte[] f; (f = framer.next()) != null; ) {
        frames.add(text(f));
        delivered += prefix.size() + f.length;
      }
      // Never more than what arrived and was not delivered: nothing comes from a declared length.
      assertThat((long) framer.buffered()).isLessThanOrEqualTo(received - delivered);
    }
    FramingError e = framer.error();
    if (e != null) {
      assertThat(e.kind()).isEqualTo(FramingError.Kind.LENGTH_TOO_LONG);
      assertThat(framer.declaredLength()).isGreaterThan(prefix.maxLength());
    }
    return new Parse(frames, e == null ? null : e.kind(), e == null ? -1 : e.position());
  }

  static Parse referencePrefixed(LengthPrefix prefix, byte[] in) {
    List<String> frames = new ArrayList<>();
    int i = 0;
    while (in.length - i >= prefix.size()) {
      long length = 0;
      for (int k = 0; k < prefix.size(); k++) {
        length = (length << 8) | (in[i + k] & 0xff);
      }
      if (length > prefix.maxLength()) {
        return new Parse(frames, FramingError.Kind.LENGTH_TOO_LONG, i + prefix.size() - 1);
      }
      if (in.length - i - prefix.size() < length) {
        break;
      }
      int from = i + prefix.size();
      frames.add(text(Arrays.copyOfRange(in, from, from + (int) length)));
      i = from + (int) length;
    }
    return new Parse(frames, null, -1);
  }
}
