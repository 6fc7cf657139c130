package dev.braid.poetry.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Builds and runs the {@code poetry} command line. Exit status: {@link #OK} on success, {@link
 * #FAILED} when a poem or request failed (or a server could not start), {@link #USAGE} for a usage
 * error, reported as one line on standard error, never a stack trace.
 */
final class Cli {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

  private Cli() {}

  /**
   * Runs {@code args} in {@code env}.
   *
   * @return the exit status
   */
  static int execute(Env env, String... args) {
    return commandLine(env).execute(args);
  }

  static CommandLine commandLine(Env env) {
    CommandLine cl = new CommandLine(new PoetryCommand(env));
    cl.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler(Cli::usageError);
    cl.setExecutionExceptionHandler(Cli::executionError);
    layOut(cl);
    return cl;
  }

  /** Blank lines between the paragraphs of the descriptions and before each list. */
  private static void layOut(CommandLine cl) {
    var usage = cl.getCommandSpec().usageMessage();
    usage
        .parameterListHeading("%nParameters:%n")
        .optionListHeading("%nOptions:%n")
        .commandListHeading("%nCommands:%n");
    String[] description = usage.description();
    java.util.List<String> spaced = new java.util.ArrayList<>();
    for (String paragraph : description) {
      if (!spaced.isEmpty() && !paragraph.isEmpty() && !spaced.get(spaced.size() - 1).isEmpty()) {
        spaced.add("");
      }
      spaced.add(paragraph);
    }
    usage.description(spaced.toArray(String[]::new));
    for (CommandLine sub : cl.getSubcommands().values()) {
      layOut(sub);
    }
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println(name + ": " + usageMessage(e) + " (see '" + name + " --help')");
    cmd.getErr().flush();
    return USAGE;
  }

  /**
   * picocli's message, with our converters' own explanations preferred, the parser's words ("at
   * index 2") replaced by the user's, and always one line.
   */
  private static String usageMessage(ParameterException e) {
    String message = e.getMessage();
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      return unmatched(u.getCommandLine().getCommandSpec(), u.getUnmatched());
    }
    if (e.getCause() instanceof CommandLine.TypeConversionException t && t.getMessage() != null) {
      message = t.getMessage();
    } else if (message != null) {
      // "Invalid value for option '--port': invalid port '-1': ..." -> keep our part
      int ours = message.indexOf(": invalid ");
      if (message.startsWith("Invalid value for ") && ours > 0) {
        message = message.substring(ours + 2);
      }
    }
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    }
    String line = Failures.oneLine(message);
    return Character.toLowerCase(line.charAt(0)) + line.substring(1);
  }

  /** Arguments the command does not take: an unknown command, unknown options, or extra ones. */
  private static String unmatched(CommandLine.Model.CommandSpec spec, List<String> unmatched) {
    String first = unmatched.get(0);
    if (spec.parent() == null && !first.startsWith("-")) {
      return "unknown command: '" + first + "'";
    }
    List<String> options = unmatched.stream().filter(a -> a.startsWith("-")).toList();
    if (!options.isEmpty()) {
      return (options.size() == 1 ? "unknown option: " : "unknown options: ") + quoted(options);
    }
    List<String> takes =
        spec.positionalParameters().stream()
            .map(p -> p.arity().max() == 1 ? "one " + p.paramLabel() : p.paramLabel() + "...")
            .toList();
    return (unmatched.size() == 1 ? "unexpected argument " : "unexpected arguments ")
        + quoted(unmatched)
        + (takes.isEmpty()
            ? ": expected no arguments, only options"
            : ": expected " + String.join(" and ", takes));
  }

  private static String quoted(List<String> args) {
    return String.join(", ", args.stream().map(a -> "'" + a + "'").toList());
  }

  private static int executionError(Exception e, CommandLine cmd, ParseResult parsed) {
    String name = cmd.getCommandSpec().qualifiedName();
    String message =
        Failures.causedByOutOfMemory(e)
            ? Failures.outOfMemory("out of memory")
            : e.getMessage() == null ? e.toString() : Failures.oneLine(e.getMessage());
    cmd.getErr().println(name + ": error: " + message);
    cmd.getErr().flush();
    LOG.debug("{} failed", name, e);
    return FAILED;
  }
}
