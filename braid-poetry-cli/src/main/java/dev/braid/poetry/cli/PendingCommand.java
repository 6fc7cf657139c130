package dev.braid.poetry.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code poetry pending PID}: what a running poetry process (any Braid program) is waiting on. */
@Command(
    name = "pending",
    mixinStandardHelpOptions = true,
    header = "Show what a running Braid process is waiting on.",
    versionProvider = Version.class,
    description = {
      "Show what a running Braid process (a poetry server, proxy or client, or any program on a"
          + " Braid reactor) is waiting on: for each of its reactors, the listening ports, the"
          + " connections (how long open, bytes received and sent), the connection attempts, the"
          + " delayed calls, and the pending Deferreds, each with its age, where it was created,"
          + " the callbacks still in its chain and what it waits on.",
      "Pending Deferreds are tracked only in debug mode: start the process with"
          + " -Dbraid.debug=true (for bin/poetry: POETRY_JAVA_OPTS=-Dbraid.debug=true), or use"
          + " --track to turn it on now for the Deferreds created from then on.",
      "The command attaches to the process with the JDK's Attach API and reads its reactors'"
          + " JMX MBeans (dev.braid:type=Reactor) through its local JMX agent, which it starts if"
          + " needed: the process must run on a JDK, as the same user, with attaching allowed."
    },
    footer = {
      "",
      "Examples:",
      "  poetry pending 12345",
      "  poetry pending --track 12345",
      "  poetry pending --dot 12345 > pending.dot && dot -Tsvg pending.dot > pending.svg",
      "",
      "Find the PID with 'jps -l' or 'pgrep -f dev.braid.poetry'."
    })
final class PendingCommand implements Callable<Integer> {
  @ParentCommand PoetryCommand parent;

  @Option(
      names = "--dot",
      description =
          "Print the pending Deferreds as a Graphviz DOT graph (one per reactor) instead of"
              + " text.")
  boolean dot;

  @Option(
      names = "--track",
      description =
          "Turn debug mode on in the process first (for the whole JVM): the Deferreds it creates"
              + " from now on are tracked. Those created before stay untracked.")
  boolean track;

  @Parameters(
      paramLabel = "PID",
      converter = Pid.class,
      description = "The process to ask: its process id.")
  long pid;

  @Override
  public Integer call() {
    List<RemoteReactors.Dump> dumps;
    try {
      dumps = RemoteReactors.dump(pid, dot, track);
    } catch (RemoteReactors.RemoteException e) {
      parent.env.err().println("poetry pending: error: " + e.getMessage());
      parent.env.err().flush();
      return Cli.FAILED;
    }
    boolean first = true;
    boolean untracked = false;
    for (RemoteReactors.Dump dump : dumps) {
      if (!first) {
        parent.env.out().println();
      }
      first = false;
      parent.env.out().println(dump.text().stripTrailing());
      untracked |= dump.text().contains("Pending Deferreds are not tracked");
    }
    if (track) {
      parent
          .env
          .out()
          .println(
              "\nDebug mode is now on in process "
                  + pid
                  + ": the Deferreds it creates from now on are tracked; ask again later.");
    } else if (untracked && !dot) {
      parent
          .env
          .out()
          .println(
              "\nTo see pending Deferreds: 'poetry pending --track "
                  + pid
                  + "' tracks those created from now on; a poetry command started with"
                  + " POETRY_JAVA_OPTS=-Dbraid.debug=true tracks them all.");
    }
    parent.env.out().flush();
    return Cli.OK;
  }

  /** A process id: a positive whole number. */
  static final class Pid implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        long pid = Long.parseLong(value.strip());
        if (pid >= 1) {
          return pid;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new TypeConversionException(
          "invalid PID '" + value + "': expected a process id, a positive whole number");
    }
  }
}
