package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.net.SystemEventPhase;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.reactor.SelectorReactor;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a server command: listens (on the main thread, before the reactor runs), prints one line
 * saying where, and runs the reactor until it is stopped (Ctrl-C, SIGTERM, or a test).
 *
 * <p>Shutdown drains the server ({@link ConnectionDrain}, a BEFORE-phase trigger): the port closes,
 * the connections in flight get {@code --shutdown-grace} to finish, and those still open are reset,
 * never closed cleanly, since a clean close would hand a poetry client a cut poem as a whole one.
 * The log says so.
 */
final class Servers {
  private static final Logger LOG = LoggerFactory.getLogger(Servers.class);

  /** How much longer than the grace a SIGINT/SIGTERM waits for the reactor to finish. */
  static final Duration HOOK_MARGIN = Duration.ofSeconds(10);

  private Servers() {}

  /** Listens on the reactor, through the drain, and returns the line to print. */
  @FunctionalInterface
  interface Setup {
    String listen(SelectorReactor reactor, ConnectionDrain drain) throws Exception;
  }

  static int run(Env env, String command, Duration grace, Setup setup) {
    SelectorReactor reactor = env.reactors().get();
    ConnectionDrain drain = ConnectionDrain.create(reactor);
    drain.whenGraceExpires(
        () -> {
          if (grace.isZero()) {
            LOG.info(
                "Shutting down: resetting the {} in flight (--shutdown-grace 0).",
                connections(drain.connectionCount()));
          } else {
            LOG.info(
                "Shutting down: resetting the {} still in flight after {}.",
                connections(drain.connectionCount()),
                Clock.describe(grace));
          }
        });
    String banner;
    try {
      banner = setup.listen(reactor, drain);
    } catch (Exception e) {
      env.err().println(command + ": cannot start: " + describe(e));
      env.err().flush();
      // Run once so the reactor closes whatever it opened.
      reactor.callWhenRunning(reactor::stop);
      reactor.run();
      return Cli.FAILED;
    }
    reactor.addSystemEventTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          int open = drain.connectionCount();
          if (open == 0) {
            LOG.info("Shutting down: no longer accepting connections; none in flight.");
          } else if (grace.isZero()) {
            LOG.info("Shutting down: no longer accepting connections.");
          } else {
            LOG.info(
                "Shutting down: no longer accepting connections; the {} in flight {} up to {} to"
                    + " finish.",
                connections(open),
                open == 1 ? "gets" : "get",
                Clock.describe(grace));
          }
          return null;
        });
    drain.installOn(reactor, grace);
    env.out().println(banner);
    env.out().flush();
    if (env.shutdownHook()) {
      reactor.installShutdownHook(grace.plus(HOOK_MARGIN));
    }
    reactor.run();
    return Cli.OK;
  }

  private static String connections(int n) {
    return n == 1 ? "connection" : n + " connections";
  }

  private static String describe(Exception e) {
    Throwable t = e;
    StringBuilder sb = new StringBuilder(message(t));
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      String m = message(t);
      if (!sb.toString().contains(m)) {
        sb.append(": ").append(m);
      }
    }
    return Failures.oneLine(sb.toString());
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
