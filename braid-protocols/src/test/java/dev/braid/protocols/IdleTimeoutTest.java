package dev.braid.protocols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Twisted's TimeoutMixinTests, on a VirtualClock. */
class IdleTimeoutTest {
  private final VirtualClock clock = VirtualClock.create();
  private int timedOut;
  private final IdleTimeout timeout = IdleTimeout.create(clock, () -> timedOut++);

  @Test
  void theActionRunsOnceThePeriodPasses() {
    timeout.setTimeout(Duration.ofSeconds(2));
    clock.advance(1.9);
    assertThat(timedOut).isZero();
    clock.advance(0.1);
    assertThat(timedOut).isEqualTo(1);
    assertThat(timeout.isRunning()).isFalse();
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void withoutAPeriodNothingHappens() {
    clock.advance(1000);
    assertThat(timedOut).isZero();
    assertThat(timeout.timeout()).isNull();
  }

  @Test
  void resetTimeoutRestartsThePeriodFromNow() {
    timeout.setTimeout(Duration.ofSeconds(2));
    clock.advance(1);
    timeout.resetTimeout();
    clock.advance(1.5);
    assertThat(timedOut).isZero();
    clock.advance(0.5);
    assertThat(timedOut).isEqualTo(1);
  }

  @Test
  void settingNullCancelsTheTimer() {
    timeout.setTimeout(Duration.ofSeconds(2));
    timeout.setTimeout(null);
    clock.advance(10);
    assertThat(timedOut).isZero();
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void setTimeoutReturnsThePreviousPeriod() {
    assertThat(timeout.setTimeout(Duration.ofSeconds(5))).isNull();
    assertThat(timeout.setTimeout(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(5));
    assertThat(timeout.setTimeout(null)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void changingThePeriodWhileRunningRestartsWithTheNewOne() {
    timeout.setTimeout(Duration.ofSeconds(5));
    clock.advance(4);
    timeout.setTimeout(Duration.ofSeconds(2));
    clock.advance(1.9);
    assertThat(timedOut).isZero();
    clock.advance(0.1);
    assertThat(timedOut).isEqualTo(1);
  }

  @Test
  void resetAfterTheTimeoutDoesNothingAsInTwisted() {
    timeout.setTimeout(Duration.ofSeconds(1));
    clock.advance(1);
    timeout.resetTimeout();
    clock.advance(5);
    assertThat(timedOut).isEqualTo(1);
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void aNegativePeriodIsRejected() {
    assertThatThrownBy(() -> timeout.setTimeout(Duration.ofSeconds(-1)))
        .hasMessage("timeout must not be negative: PT-1S");
  }
}
