package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.TestErrors.GenericError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flight-recorder event of a failure reported after its Deferred was collected. */
class UnhandledFailureEventTest {
  @TempDir Path dir;

  private static void leaveFailed(String message) {
    Deferred.fail(new GenericError(message));
  }

  @Test
  void aFailureReportedAfterCollectionIsRecordedAsAnEvent() throws Exception {
    String message = "recorded " + System.nanoTime();
    CountDownLatch reported = new CountDownLatch(1);
    UnhandledFailures.setReporter(
        u -> {
          if (message.equals(u.failure().getErrorMessage())) {
            reported.countDown();
          }
        });
    Path file = dir.resolve("unhandled.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("dev.braid.UnhandledFailure");
      recording.start();
      leaveFailed(message);
      assertThat(DebugThreads.gcUntil(() -> reported.getCount() == 0)).as("reported").isTrue();
      recording.stop();
      recording.dump(file);
    } finally {
      UnhandledFailures.resetReporter();
    }

    List<RecordedEvent> events =
        RecordingFile.readAllEvents(file).stream()
            .filter(e -> e.getEventType().getName().equals("dev.braid.UnhandledFailure"))
            .filter(e -> message.equals(e.getString("message")))
            .toList();
    assertThat(events).hasSize(1);
    RecordedEvent event = events.get(0);
    assertThat(event.getString("exceptionClass")).isEqualTo(GenericError.class.getName());
    assertThat(event.getString("ownerThread")).isEqualTo(Thread.currentThread().getName());
    assertThat(Files.size(file)).isPositive();
  }
}
