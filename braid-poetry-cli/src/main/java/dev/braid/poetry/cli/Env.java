package dev.braid.poetry.cli;

import dev.braid.reactor.SelectorReactor;
import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a command runs in: its output streams, whether they are a terminal (live progress is drawn
 * only then), where its reactor comes from, and whether to stop gracefully on Ctrl-C. {@link Main}
 * makes the real one; tests make their own and keep hold of the reactors.
 *
 * @param out standard output: poems and results
 * @param err standard error: errors, notes and live progress
 * @param terminal true when both outputs are a terminal
 * @param reactors makes the command's reactor
 * @param shutdownHook true to stop the reactor gracefully on SIGINT/SIGTERM
 */
record Env(
    PrintStream out,
    PrintStream err,
    boolean terminal,
    Supplier<SelectorReactor> reactors,
    boolean shutdownHook) {
  Env {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(reactors, "reactors");
  }
}
