package dev.braid.poetry.cli;

import dev.braid.reactor.IoBackend;
import dev.braid.reactor.SelectorReactor;
import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a command runs in: its output streams, whether they are a terminal (live progress is drawn
 * only then), where its reactor comes from and on which transport, and whether to stop gracefully
 * on Ctrl-C. {@link Main} makes the real one; tests make their own and keep hold of the reactors.
 *
 * @param out standard output: poems and results
 * @param err standard error: errors, notes and live progress
 * @param terminal true when both outputs are a terminal
 * @param reactors makes the command's reactor on the transport given, or on the default one when
 *     given null
 * @param transport the transport chosen with {@code --transport}, or null for the default
 * @param shutdownHook true to stop the reactor gracefully on SIGINT/SIGTERM
 */
record Env(
    PrintStream out,
    PrintStream err,
    boolean terminal,
    Function<IoBackend, SelectorReactor> reactors,
    IoBackend transport,
    boolean shutdownHook) {
  Env {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(reactors, "reactors");
  }

  /** {@return a new reactor for the command, on its transport} */
  SelectorReactor newReactor() {
    return reactors.apply(transport);
  }

  /** {@return this environment with {@code chosen} as the transport} */
  Env withTransport(IoBackend chosen) {
    return new Env(out, err, terminal, reactors, chosen, shutdownHook);
  }
}
