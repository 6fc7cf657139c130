package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.defer.DeferredTimeoutException;
import dev.braid.defer.Failure;
import dev.braid.net.ConnectError;
import dev.braid.poetry.PoemTooLargeException;
import dev.braid.web.HttpError;

/** One-line descriptions of what went wrong, for the command line's messages. */
final class Failures {
  private Failures() {}

  /**
   * Describes why talking to {@code source} (an address or a URL, as the user wrote it) failed,
   * without repeating it: "connection refused", "timed out after 5 seconds", "404 Not Found",
   * "connection lost after 20 bytes of poetry (...)".
   */
  static String describe(String source, Failure failure) {
    Throwable e = failure.value();
    if (e instanceof DeferredTimeoutException t) {
      return "timed out after " + Clock.describe(t.timeout());
    }
    if (e instanceof PoemTooLargeException p) {
      return p.outOfMemory()
          ? outOfMemory(oneLine(p.getMessage()))
          : "the poem is larger than --max-poem-size ("
              + PoemTooLargeException.describeBytes(p.limit())
              + "); the download was stopped";
    }
    if (causedByOutOfMemory(e)) {
      return outOfMemory("out of memory");
    }
    if (e instanceof HttpError http) {
      return oneLine(http.response().head().statusLine());
    }
    String message = oneLine(failure.getErrorMessage());
    for (String prefix : new String[] {source + ": ", source + "/: "}) {
      if (message.startsWith(prefix)) {
        return message.substring(prefix.length());
      }
    }
    return message;
  }

  /**
   * Describes why a transform request failed: "transform server 127.0.0.1:10001: connection
   * refused", "127.0.0.1:10001 closed the connection without a reply (...)", "no reply within 5
   * seconds".
   */
  static String describeTransform(Failure failure) {
    Throwable e = failure.value();
    if (e instanceof DeferredTimeoutException t) {
      return "no reply within " + Clock.describe(t.timeout());
    }
    if (e instanceof ConnectError) {
      return "transform server " + oneLine(failure.getErrorMessage());
    }
    return oneLine(failure.getErrorMessage());
  }

  /** What to say when the heap ran out: what happened, and the two ways out. */
  static String outOfMemory(String what) {
    return what + "; give Java more memory (POETRY_JAVA_OPTS=-Xmx2g) or lower --max-poem-size";
  }

  static boolean causedByOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  static String oneLine(String message) {
    return message.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
  }
}
