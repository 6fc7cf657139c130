package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.test.Chunking;
import dev.braid.test.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Conformance section P, LineOnlyReceiver part (spec §20). */
class LineOnlyReceiverTest {
  static class Recorder extends LineOnlyReceiver {
    final List<String> received = new ArrayList<>();
    final List<String> exceeded = new ArrayList<>();
    boolean closeOnExceeded = true;

    Recorder(LineFormat format) {
      super(format);
    }

    Recorder() {}

    @Override
    protected void lineReceived(byte[] line) {
      received.add(s(line));
    }

    @Override
    protected void lineLengthExceeded(byte[] line) {
      exceeded.add(s(line));
      if (closeOnExceeded) {
        super.lineLengthExceeded(line);
      }
    }
  }

  private static Recorder feed(Recorder r, StringTransport t, Chunking chunking, String input) {
    t.connect(r);
    for (byte[] read : chunking.split(b(input))) {
      r.dataReceived(read);
    }
    return r;
  }

  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void linesAfterOneThatClosedTheConnectionAreIgnored(Chunking chunking) {
    StringTransport t = StringTransport.create();
    Recorder r =
        new Recorder() {
          @Override
          protected void lineReceived(byte[] line) {
            super.lineReceived(line);
            if (s(line).equals("quit")) {
              transport().loseConnection();
            }
          }
        };
    feed(r, t, chunking, "a\r\nquit\r\nb\r\n");
    assertThat(r.received).containsExactly("a", "quit");
  }

  @Test
  void maxLengthPlusOneBytesAreEnoughToExceedTheLimit() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(LineFormat.crlf().withMaxLength(4)));
    r.dataReceived(b("xxxx"));
    assertThat(t.isDisconnecting()).isFalse();
    r.dataReceived(b("x"));
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(r.exceeded).containsExactly("xxxxx");
  }

  @ParameterizedTest
  @MethodSource("dev.braid.test.Chunking#matrix")
  void aTooLongLineIsReportedOnceAndSkippedWhenTheHookKeepsTheConnection(Chunking chunking) {
    StringTransport t = StringTransport.create();
    Recorder r = new Recorder(LineFormat.crlf().withMaxLength(4));
    r.closeOnExceeded = false;
    feed(r, t, chunking, "ok\r\ntoo long\r\nfine\r\n");
    assertThat(r.received).containsExactly("ok", "fine");
    assertThat(r.exceeded).hasSize(1);
    assertThat(r.exceeded.get(0)).startsWith("too l");
  }

  @Test
  void aTooLongLineThatArrivedWholeIsPassedWhole() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(LineFormat.crlf().withMaxLength(4)));
    r.dataReceived(b("abcdef\r\nnext\r\n"));
    assertThat(r.exceeded).containsExactly("abcdef");
    assertThat(r.received).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }

  @Test
  void sendLineEndsTheLineWithTheFormatsDelimiter() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(LineFormat.lf()));
    r.sendLine(b("x"));
    assertThat(s(t.value())).isEqualTo("x\n");
  }

  @Test
  void loweringTheMaximumAppliesToTheLineBeingReceived() {
    StringTransport t = StringTransport.create();
    Recorder r = t.connect(new Recorder(LineFormat.crlf().withMaxLength(50)));
    r.dataReceived(b("x".repeat(20)));
    r.setMaxLength(10);
    assertThat(r.format()).isEqualTo(LineFormat.crlf().withMaxLength(10));
    r.dataReceived(b("y\r\n"));
    assertThat(r.exceeded).containsExactly("x".repeat(20) + "y");
    assertThat(r.received).isEmpty();
    assertThat(t.isDisconnecting()).isTrue();
  }
}
