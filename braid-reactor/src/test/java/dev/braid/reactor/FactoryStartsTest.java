package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Twisted's doStart/doStop counting: startFactory with the first user, stopFactory after the last.
 */
class FactoryStartsTest {
  private final List<String> log = new ArrayList<>();

  /** Logs its starts and stops; its first start throws if asked to. */
  private final class CountedFactory implements Factory {
    boolean failNextStart;

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      return null;
    }

    @Override
    public void startFactory() {
      log.add("startFactory");
      if (failNextStart) {
        failNextStart = false;
        throw new IllegalStateException("expected by the test: startFactory failed");
      }
    }

    @Override
    public void stopFactory() {
      log.add("stopFactory");
    }
  }

  @Test
  void theFirstUserStartsTheFactoryAndTheLastStopsIt() {
    CountedFactory factory = new CountedFactory();

    FactoryStarts.doStart(factory);
    FactoryStarts.doStart(factory);
    assertThat(FactoryStarts.users(factory)).isEqualTo(2);
    FactoryStarts.doStop(factory);
    assertThat(log).containsExactly("startFactory");
    FactoryStarts.doStop(factory);

    assertThat(log).containsExactly("startFactory", "stopFactory");
    assertThat(FactoryStarts.users(factory)).isZero();
  }

  @Test
  void aStartFactoryThatThrowsLeavesTheFactoryUncountedSoTheNextUserStartsItAgain() {
    CountedFactory factory = new CountedFactory();
    factory.failNextStart = true;

    assertThatThrownBy(() -> FactoryStarts.doStart(factory))
        .hasMessage("expected by the test: startFactory failed");
    assertThat(FactoryStarts.users(factory)).isZero();

    FactoryStarts.doStart(factory);
    assertThat(FactoryStarts.users(factory)).isEqualTo(1);
    FactoryStarts.doStop(factory);
    assertThat(log).containsExactly("startFactory", "startFactory", "stopFactory");
  }

  @Test
  void stoppingAFactoryNobodyUsesDoesNothing() {
    CountedFactory factory = new CountedFactory();

    FactoryStarts.doStop(factory);

    assertThat(log).isEmpty();
  }
}
