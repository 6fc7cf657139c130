package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
  final List<String> lines = new ArrayList<>();
  long now = 1_000;
  final LogLimiter limiter = LogLimiter.create(lines::add, Duration.ofSeconds(10), () -> now);

  void advance(double seconds) {
    now += (long) (seconds * TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void theFirstLineIsLoggedAndTheOthersOfTheIntervalOnlyCounted() {
    limiter.log(() -> "refused 1");
    advance(1);
    limiter.log(() -> "refused 2");
    advance(8.9);
    limiter.log(() -> "refused 3");
    assertThat(lines).containsExactly("refused 1");
    assertThat(limiter.leftOut()).isEqualTo(2);
  }

  @Test
  void theNextLineAfterTheIntervalSaysHowManyWereLeftOut() {
    limiter.log(() -> "refused 1");
    for (int i = 0; i < 1234; i++) {
      limiter.log(() -> "refused again");
    }
    advance(10);
    limiter.log(() -> "refused 1236");
    assertThat(lines)
        .containsExactly(
            "refused 1",
            "refused 1236 (1,234 more like it not logged since the last one: at most one line"
                + " every 10 seconds)");
    assertThat(limiter.leftOut()).isZero();
    advance(10);
    limiter.log(() -> "refused 1237");
    assertThat(lines).last().as("nothing left out this time").isEqualTo("refused 1237");
  }

  @Test
  void aLineLeftOutIsNeverBuilt() {
    limiter.log(() -> "refused");
    limiter.log(
        () -> {
          throw new AssertionError("built a line that is not logged");
        });
    assertThat(lines).hasSize(1);
  }

  @Test
  void theIntervalMustBePositive() {
    assertThatThrownBy(() -> LogLimiter.create(lines::add, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be positive: PT0S");
    LogLimiter standard = LogLimiter.create(lines::add);
    standard.log(() -> "a");
    standard.log(() -> "b");
    assertThat(lines).containsExactly("a");
    assertThat(LogLimiter.DEFAULT_INTERVAL_SECONDS).isEqualTo(10);
  }
}
