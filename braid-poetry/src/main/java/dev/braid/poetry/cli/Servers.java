package dev.braid.poetry.cli;

import dev.braid.reactor.SelectorReactor;
import java.time.Duration;

/**
 * Runs a server command: listens (on the main thread, before the reactor runs), prints one line
 * saying where, and runs the reactor until it is stopped (Ctrl-C, SIGTERM, or a test).
 */
final class Servers {
  private Servers() {}

  /** Listens on the reactor and returns the line to print. */
  @FunctionalInterface
  interface Setup {
    String listen(SelectorReactor reactor) throws Exception;
  }

  static int run(Env env, String command, Setup setup) {
    SelectorReactor reactor = env.reactors().get();
    String banner;
    try {
      banner = setup.listen(reactor);
    } catch (Exception e) {
      env.err().println(command + ": cannot start: " + describe(e));
      env.err().flush();
      // Run once so the reactor closes whatever it opened.
      reactor.callWhenRunning(reactor::stop);
      reactor.run();
      return Cli.FAILED;
    }
    env.out().println(banner);
    env.out().flush();
    if (env.shutdownHook()) {
      reactor.installShutdownHook(Duration.ofSeconds(10));
    }
    reactor.run();
    return Cli.OK;
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
