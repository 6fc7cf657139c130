package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import dev.braid.net.Factory;
import dev.braid.net.SystemEventPhase;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.reactor.GroupPort;
import dev.braid.reactor.ReactorGroup;
import dev.braid.reactor.SelectorReactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a server command: on a group of {@code --reactors} reactors (threads {@code braid-reactor-1}
 * to {@code -N}, serving one port), listens (on the main thread, before the reactors run), prints
 * one line saying where, and runs the group until it is stopped (Ctrl-C, SIGTERM, or a test).
 *
 * <p>Shutdown drains the server ({@link ConnectionDrain}, one per reactor, each a BEFORE-phase
 * trigger of its reactor, all at once: the group holds every reactor until every drain is done):
 * the port closes, the connections in flight get {@code --shutdown-grace} to finish, and those
 * still open are reset, never closed cleanly, since a clean close would hand a poetry client a cut
 * poem as a whole one. The log says so, in one line for the whole group.
 */
final class Servers {
  private static final Logger LOG = LoggerFactory.getLogger(Servers.class);

  /** How much longer than the grace a SIGINT/SIGTERM waits for the reactors to finish. */
  static final Duration HOOK_MARGIN = Duration.ofSeconds(10);

  private Servers() {}

  /** What a server command serves. */
  interface Setup {
    /**
     * Builds the server's factory for one reactor (the listen options' limits applied); called once
     * per reactor, the group's first reactor first, on the main thread before they run.
     *
     * @param reactor the reactor the factory serves
     * @param drain that reactor's drain, for actions when its grace expires
     */
    Factory factory(SelectorReactor reactor, ConnectionDrain drain) throws Exception;

    /**
     * The line printed once listening.
     *
     * @param address where, e.g. {@code 127.0.0.1:10000}
     * @param reactors how many reactors serve it, in words: {@code 2 reactors}
     */
    String banner(String address, String reactors);
  }

  static int run(Env env, String command, Listen listen, Setup setup) {
    Duration grace = listen.shutdownGrace;
    int size = listen.reactors();
    List<SelectorReactor> reactors = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      reactors.add(env.reactors().get());
    }
    ReactorGroup group = ReactorGroup.of(reactors);
    Map<SelectorReactor, ConnectionDrain> drains = new IdentityHashMap<>();
    for (SelectorReactor reactor : reactors) {
      drains.put(reactor, ConnectionDrain.create(reactor));
    }
    String banner;
    try {
      GroupPort port = listen.listen(group, drains, setup);
      banner = setup.banner(listen.where(port.getHost()), reactors(size));
    } catch (Exception e) {
      env.err().println(command + ": cannot start: " + describe(e));
      env.err().flush();
      // Run once so the reactors close whatever they opened.
      group.callWhenRunning(group::stop);
      group.run();
      return Cli.FAILED;
    }
    Report began = new Report(size, total -> logBegun(total, grace));
    Report expired = new Report(size, total -> logExpired(total, grace));
    for (SelectorReactor reactor : reactors) {
      drainOnShutdown(reactor, drains.get(reactor), grace, began, expired);
    }
    env.out().println(banner);
    env.out().flush();
    if (env.shutdownHook()) {
      group.installShutdownHook(grace.plus(HOOK_MARGIN));
    }
    group.run();
    return Cli.OK;
  }

  /** {@return "1 reactor", "2 reactors"...} */
  static String reactors(int n) {
    return n == 1 ? "1 reactor" : n + " reactors";
  }

  /**
   * Drains {@code reactor}'s connections when it shuts down, and reports to the group's two reports
   * how many were open when shutdown began, and how many were left when the grace expired (none, if
   * its drain finished before).
   */
  private static void drainOnShutdown(
      SelectorReactor reactor,
      ConnectionDrain drain,
      Duration grace,
      Report began,
      Report expired) {
    reactor.addSystemEventTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          began.add(drain.connectionCount());
          boolean[] reported = {false};
          Runnable reportLeft =
              () -> {
                if (!reported[0]) {
                  reported[0] = true;
                  expired.add(drain.connectionCount());
                }
              };
          if (grace.isZero()) {
            reportLeft.run();
          }
          // Due before the drain's own timer (scheduled after it, for the same time), so the
          // count is of the connections about to be reset.
          DelayedCall atExpiry = grace.isZero() ? null : reactor.callLater(grace, reportLeft);
          return drain
              .drain(grace)
              .addFinally(
                  outcome -> {
                    if (atExpiry != null && atExpiry.active()) {
                      atExpiry.cancel();
                    }
                    reportLeft.run(); // finished before the grace: nothing left here
                  });
        });
  }

  /**
   * A count that every reactor of the group adds to once; the last one to add logs the total.
   * Thread-safe: the reactors add on their own threads.
   */
  private static final class Report {
    private final AtomicInteger left;
    private final AtomicInteger total = new AtomicInteger();
    private final IntConsumer log;

    Report(int reactors, IntConsumer log) {
      this.left = new AtomicInteger(reactors);
      this.log = log;
    }

    void add(int count) {
      total.addAndGet(count);
      if (left.decrementAndGet() == 0) {
        log.accept(total.get());
      }
    }
  }

  private static void logBegun(int open, Duration grace) {
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
  }

  private static void logExpired(int left, Duration grace) {
    if (left == 0) {
      return;
    }
    if (grace.isZero()) {
      LOG.info(
          "Shutting down: resetting the {} in flight (--shutdown-grace 0).", connections(left));
    } else {
      LOG.info(
          "Shutting down: resetting the {} still in flight after {}.",
          connections(left),
          Clock.describe(grace));
    }
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
