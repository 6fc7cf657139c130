package dev.braid.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §21: StringTransport and StringTransportWithDisconnection. */
class StringTransportTest {
  static final class Recorder extends BaseProtocol {
    final List<ConnectionEnd> lost = new ArrayList<>();

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      lost.add(reason);
    }
  }

  private static final PushProducer PUSH =
      new PushProducer() {
        @Override
        public void pauseProducing() {}

        @Override
        public void resumeProducing() {}

        @Override
        public void stopProducing() {}
      };

  @Test
  void writesAreRecordedUntilCleared() {
    StringTransport t = StringTransport.create();
    t.write("hello ".getBytes(UTF_8));
    t.writeSequence(List.of("wor".getBytes(UTF_8), "ld".getBytes(UTF_8)));
    assertThat(t.valueUtf8()).isEqualTo("hello world");
    assertThat(t.writeCalls()).isEqualTo(3);
    t.clear();
    assertThat(t.value()).isEmpty();
  }

  @Test
  void writtenArraysAreCopied() {
    StringTransport t = StringTransport.create();
    byte[] data = {'a'};
    t.write(data);
    data[0] = 'b';
    assertThat(t.valueUtf8()).isEqualTo("a");
  }

  @Test
  void loseConnectionOnlySetsDisconnectingAndIsIdempotent() {
    StringTransport t = StringTransport.create();
    Recorder p = t.connect(new Recorder());
    t.loseConnection();
    t.loseConnection();
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(t.isDisconnected()).isFalse();
    assertThat(t.loseConnectionCalls()).isEqualTo(2);
    assertThat(p.lost).isEmpty();
    assertThat(p.isConnected()).isTrue();
  }

  @Test
  void abortConnectionAlsoSetsDisconnected() {
    StringTransport t = StringTransport.create();
    Recorder p = t.connect(new Recorder());
    t.abortConnection();
    assertThat(t.isDisconnecting()).isTrue();
    assertThat(t.isDisconnected()).isTrue();
    assertThat(p.lost).isEmpty();
  }

  @Test
  void connectionLostTellsTheProtocolOnce() {
    StringTransport t = StringTransport.create();
    Recorder p = t.connect(new Recorder());
    t.connectionLost(new ConnectionDone());
    t.connectionLost(new ConnectionDone());
    assertThat(p.lost).hasSize(1);
    assertThat(t.lostReason()).isInstanceOf(ConnectionDone.class);
  }

  @Test
  void withDisconnectionLoseConnectionCallsConnectionLostOnce() {
    StringTransport t = StringTransport.withDisconnection();
    Recorder p = t.connect(new Recorder());
    t.loseConnection();
    t.loseConnection();
    assertThat(p.lost).hasSize(1).first().isInstanceOf(ConnectionDone.class);
    assertThat(p.isConnected()).isFalse();
  }

  @Test
  void withDisconnectionAbortCallsConnectionLostWithConnectionAborted() {
    StringTransport t = StringTransport.withDisconnection();
    Recorder p = t.connect(new Recorder());
    t.abortConnection();
    assertThat(p.lost).hasSize(1).first().isInstanceOf(ConnectionAborted.class);
  }

  @Test
  void aSecondProducerIsRejected() {
    StringTransport t = StringTransport.create();
    t.registerProducer(PUSH);
    assertThat(t.producer()).isSameAs(PUSH);
    assertThat(t.streaming()).isTrue();
    assertThatThrownBy(() -> t.registerProducer(PUSH))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already registered");
    t.unregisterProducer();
    assertThat(t.producer()).isNull();
  }

  @Test
  void aPullProducerIsAskedForMoreOnRequest() {
    StringTransport t = StringTransport.create();
    int[] asked = {0};
    t.registerProducer(
        new PullProducer() {
          @Override
          public void resumeProducing() {
            asked[0]++;
          }

          @Override
          public void stopProducing() {}
        });
    assertThat(t.streaming()).isFalse();
    t.pullMore();
    assertThat(asked[0]).isEqualTo(1);
  }

  @Test
  void pauseAndResumeAreRecorded() {
    StringTransport t = StringTransport.create();
    assertThat(t.producerState()).isEqualTo(StringTransport.ProducerState.PRODUCING);
    t.pauseProducing();
    assertThat(t.producerState()).isEqualTo(StringTransport.ProducerState.PAUSED);
    t.resumeProducing();
    assertThat(t.producerState()).isEqualTo(StringTransport.ProducerState.PRODUCING);
    t.stopProducing();
    assertThat(t.producerState()).isEqualTo(StringTransport.ProducerState.STOPPED);
    assertThatThrownBy(t::resumeProducing).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void pauseAndResumeAfterLoseConnectionThrowUnlessLenient() {
    StringTransport strict = StringTransport.create();
    strict.loseConnection();
    assertThatThrownBy(strict::pauseProducing)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pauseProducing() called on a transport that is disconnecting");
    assertThatThrownBy(strict::resumeProducing).isInstanceOf(IllegalStateException.class);

    StringTransport lenient = StringTransport.lenient();
    lenient.loseConnection();
    lenient.pauseProducing();
    lenient.resumeProducing();
    assertThat(lenient.producerState()).isEqualTo(StringTransport.ProducerState.PRODUCING);
  }

  @Test
  void addressesAndOptionsAreRecorded() {
    StringTransport t = StringTransport.create();
    assertThat(t.getHost()).isEqualTo(StringTransport.DEFAULT_HOST);
    assertThat(t.getPeer().getAddress().getHostAddress()).isEqualTo("10.0.0.2");
    t.setTcpNoDelay(true);
    t.setTcpKeepAlive(true);
    assertThat(t.tcpNoDelay()).isTrue();
    assertThat(t.tcpKeepAlive()).isTrue();
  }

  @Test
  void aProtocolCanBeConnectedOnlyOnce() {
    StringTransport t = StringTransport.create();
    t.connect(new Recorder());
    assertThatThrownBy(() -> t.connect(new Recorder())).isInstanceOf(IllegalStateException.class);
  }
}
