package dev.braid.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.VirtualClock;
import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Twisted's backoff, on a VirtualClock, against a connector that only counts. */
class ReconnectingClientFactoryTest {
  private final VirtualClock clock = VirtualClock.create();
  private final CountingConnector connector = new CountingConnector();
  private final Client factory = new Client(clock);

  static final class Client extends ReconnectingClientFactory {
    Client(Clock clock) {
      super(clock);
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      return null;
    }
  }

  static final class CountingConnector implements Connector {
    int connects;
    int stops;
    boolean connecting;

    @Override
    public void connect() {
      connects++;
      connecting = true;
    }

    @Override
    public void stopConnecting() {
      if (!connecting) {
        throw new IllegalStateException("not connecting");
      }
      connecting = false;
      stops++;
    }

    @Override
    public void disconnect() {}

    @Override
    public InetSocketAddress getDestination() {
      return InetSocketAddress.createUnresolved("example.org", 1);
    }
  }

  private void fail() {
    connector.connecting = false;
    factory.clientConnectionFailed(connector, new ConnectionRefusedError("refused", null));
  }

  private double nextRetryIn() {
    assertThat(clock.getDelayedCalls()).hasSize(1);
    return clock.getDelayedCalls().get(0).getTime() - clock.seconds();
  }

  @Test
  void theDefaultsAreTwisteds() {
    assertThat(ReconnectingClientFactory.DEFAULT_INITIAL_DELAY).isEqualTo(1.0);
    assertThat(ReconnectingClientFactory.DEFAULT_FACTOR).isEqualTo(Math.E);
    assertThat(ReconnectingClientFactory.DEFAULT_JITTER).isEqualTo(0.11962656472);
    assertThat(ReconnectingClientFactory.DEFAULT_MAX_DELAY).isEqualTo(3600);
    assertThat(factory.delay()).isEqualTo(1.0);
    assertThat(factory.isTrying()).isTrue();
  }

  @Test
  void delaysGrowByTheFactorUpToTheMaximum() {
    factory.setJitter(0);
    double expected = 1.0;
    for (int i = 1; i <= 12; i++) {
      fail();
      expected = Math.min(expected * Math.E, 3600);
      assertThat(nextRetryIn())
          .as("retry %d", i)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
      clock.advance(nextRetryIn());
      assertThat(connector.connects).isEqualTo(i);
    }
    assertThat(factory.delay()).isEqualTo(3600);
    assertThat(factory.retries()).isEqualTo(12);
  }

  @Test
  void jitterDrawsTheDelayFromANormalDistributionAroundIt() {
    long seed = 20240611;
    factory.setRandom(new Random(seed));
    Random same = new Random(seed);
    fail();
    double mean = Math.E;
    assertThat(factory.delay()).isEqualTo(mean + same.nextGaussian() * mean * 0.11962656472);
    assertThat(nextRetryIn()).isCloseTo(factory.delay(), org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void afterMaxRetriesItGivesUp() {
    factory.setJitter(0).setMaxRetries(2);
    fail();
    clock.advance(100);
    fail();
    clock.advance(100);
    fail();
    assertThat(clock.getDelayedCalls()).isEmpty();
    assertThat(connector.connects).isEqualTo(2);
    assertThat(factory.retries()).isEqualTo(3);
  }

  @Test
  void resetDelayStartsOverFromTheInitialDelay() {
    factory.setJitter(0).setInitialDelay(0.5);
    fail();
    clock.advance(100);
    fail();
    clock.advance(100);
    factory.resetDelay();
    assertThat(factory.delay()).isEqualTo(0.5);
    assertThat(factory.retries()).isZero();
    fail();
    assertThat(nextRetryIn()).isCloseTo(0.5 * Math.E, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aLostConnectionIsReconnectedToo() {
    factory.setJitter(0);
    factory.clientConnectionLost(connector, new ConnectionLost("reset", null));
    clock.advance(nextRetryIn());
    assertThat(connector.connects).isEqualTo(1);
  }

  @Test
  void stopTryingCancelsTheRetryAndStopsAnAttemptInProgress() {
    factory.setJitter(0);
    fail();
    DelayedCall retry = clock.getDelayedCalls().get(0);
    factory.stopTrying();
    assertThat(retry.cancelled()).isTrue();
    assertThat(factory.isTrying()).isFalse();
    assertThat(connector.stops).isZero(); // it was not connecting: nothing to stop

    connector.connecting = true;
    factory.stopTrying();
    assertThat(connector.stops).isEqualTo(1);

    fail();
    assertThat(clock.getDelayedCalls()).isEmpty();
    factory.resetDelay();
    assertThat(factory.isTrying()).isTrue();
  }

  @Test
  void retryNeedsAConnector() {
    assertThatThrownBy(factory::retry)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no connector to retry");
  }
}
