package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The real TCP contract, run over and over, each run on a fresh reactor: a race between the loop
 * and the transport shows up as one failure among the runs. {@code -Dbraid.tcpContractRuns=N}
 * changes the number of runs (default {@value #DEFAULT_RUNS}).
 */
@Tag("loopback")
class TcpTransportContractRepeatedTest {
  static final int DEFAULT_RUNS = 50;

  @Test
  void theRealTcpTransportKeepsTheContractRunAfterRun() {
    int runs = Integer.getInteger("braid.tcpContractRuns", DEFAULT_RUNS);
    for (int run = 1; run <= runs; run++) {
      Events events =
          EngineTestKit.engine("junit-jupiter")
              .selectors(
                  selectClass(TcpClientTransportContractTest.class),
                  selectClass(TcpServerTransportContractTest.class))
              .execute()
              .testEvents();
      List<Event> failed = events.failed().list();
      if (!failed.isEmpty()) {
        Event first = failed.get(0);
        throw new AssertionError(
            "run "
                + run
                + " of "
                + runs
                + ": "
                + failed.size()
                + " failed, first "
                + first.getTestDescriptor().getDisplayName()
                + " in "
                + first.getTestDescriptor().getUniqueId(),
            first
                .getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .orElse(null));
      }
      long succeeded = events.succeeded().count();
      if (succeeded != 12) {
        throw new AssertionError("run " + run + ": " + succeeded + " tests passed, 12 expected");
      }
    }
    // Every reactor was stopped and its thread joined by the extension.
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(
            t ->
                t.getName().startsWith("braid-test-reactor-")
                    && t.getState() != Thread.State.TERMINATED);
  }
}
