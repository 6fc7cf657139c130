package dev.braid.poetry;

import dev.braid.test.log.LogCapture;
import dev.braid.test.log.LogEvent;
import java.util.List;
import org.slf4j.event.Level;

/**
 * The warnings {@link ProxyService} logs when a fetch fails or brings an empty poem: a test that
 * provokes them takes them and checks them, so that they are asserted instead of printed.
 */
final class ProxyLog {
  /** How the warning for a failed fetch starts; the failure's message follows. */
  static final String FETCH_FAILED = "Fetching the poem failed: ";

  private ProxyLog() {}

  /** {@return the messages of the proxy's warnings logged so far and not yet taken} */
  static List<String> warnings(LogCapture logs) {
    return logs.take(Level.WARN, ProxyService.class).stream().map(LogEvent::message).toList();
  }
}
