package dev.braid.defer;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.braid.UnhandledFailure}: a failed Deferred was collected while its failure
 * was still unhandled, and the failure was reported (see {@link UnhandledFailures}). Recorded on
 * the cleaner thread that reports it, so it carries no stack trace of its own; the exception's is
 * in the log.
 */
@Name("dev.braid.UnhandledFailure")
@Label("Unhandled Deferred Failure")
@Category({"Braid", "Deferred"})
@Description("A Deferred was garbage-collected while it held a failure that no errback handled.")
@StackTrace(false)
final class UnhandledFailureEvent extends jdk.jfr.Event {
  @Label("Exception Class")
  String exceptionClass;

  @Label("Message")
  String message;

  @Label("Owner Thread")
  @Description("The thread the Deferred's code was acting for, typically a reactor thread")
  String ownerThread;

  @Label("Created At")
  @Description("Where the Deferred was created (debug mode only)")
  String createdAt;

  /** Records {@code report} if a recording wants this event. */
  static void emit(UnhandledFailures.UnhandledFailure report) {
    UnhandledFailureEvent event = new UnhandledFailureEvent();
    if (!event.shouldCommit()) {
      return;
    }
    Failure failure = report.failure();
    event.exceptionClass =
        failure.value() instanceof UnhandledFailures.CollectedException collected
            ? collected.originalClassName()
            : failure.type().getName();
    event.message = failure.getErrorMessage();
    event.ownerThread = report.threadName();
    event.createdAt =
        failure.creationSite().isEmpty() ? "" : CallSite.format(failure.creationSite().get(0));
    event.commit();
  }
}
