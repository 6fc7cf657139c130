package dev.braid.protocols;

import static dev.braid.protocols.Bytes.b;
import static dev.braid.protocols.Bytes.prefix;
import static dev.braid.protocols.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.test.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 1- and 2-byte variants of IntNStringReceiver. */
class IntNStringReceiverTest {
  static final class Int16Recorder extends Int16StringReceiver {
    final List<String> received = new ArrayList<>();

    @Override
    protected void stringReceived(byte[] string) {
      received.add(s(string));
    }
  }

  static final class Int8Recorder extends Int8StringReceiver {
    final List<String> received = new ArrayList<>();

    Int8Recorder(long maxLength) {
      super(maxLength);
    }

    Int8Recorder() {}

    @Override
    protected void stringReceived(byte[] string) {
      received.add(s(string));
    }
  }

  @Test
  void sendStringRejectsAStringTheLengthPrefixCannotExpress() {
    Int8Recorder r8 = StringTransport.create().connect(new Int8Recorder());
    r8.sendString(new byte[255]);
    assertThatThrownBy(() -> r8.sendString(new byte[256]))
        .isInstanceOf(StringTooLongException.class)
        .hasMessage("cannot send a string of 256 bytes with a 1-byte length prefix (limit 256)");
    Int16Recorder r16 = StringTransport.create().connect(new Int16Recorder());
    assertThatThrownBy(() -> r16.sendString(new byte[65536]))
        .isInstanceOf(StringTooLongException.class);
  }

  @Test
  void theMaximumAppliesToReceivingOnly() {
    StringTransport t = StringTransport.create();
    Int8Recorder r = t.connect(new Int8Recorder(2));
    r.sendString(b("long string"));
    r.dataReceived(b(prefix(1, 3)));
    assertThat(t.isDisconnecting()).isTrue();
  }
}
