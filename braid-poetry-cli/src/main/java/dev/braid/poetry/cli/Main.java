package dev.braid.poetry.cli;

import dev.braid.poetry.PoemTooLargeException;
import dev.braid.reactor.SelectorReactor;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The {@code poetry} command's entry point, run by {@code bin/poetry}. Sets up UTF-8 output and
 * quiet one-line logging, runs the command and exits with its status: 0 success, 1 a poem or
 * request failed, 2 a usage error. Running out of memory is one line on standard error and status
 * 1, never a stack trace.
 */
public final class Main {
  private static final Set<String> SERVERS =
      Set.of("serve", "transform-server", "proxy", "transform-proxy");

  private Main() {}

  /**
   * Runs the command line.
   *
   * @param args the arguments, e.g. {@code get 10000 10001}
   */
  public static void main(String[] args) {
    PrintStream out = utf8(FileDescriptor.out);
    PrintStream err = utf8(FileDescriptor.err);
    System.setOut(out);
    System.setErr(err);
    configureLogging(isServer(args), isCommand(args, "simulate"));
    Thread.setDefaultUncaughtExceptionHandler(Main::uncaught);
    Env env =
        new Env(out, err, Terminals.outputIsTerminal(), SelectorReactor::create, /* hook */ true);
    int status;
    try {
      status = Cli.execute(env, args);
    } catch (OutOfMemoryError e) {
      err.println(outOfMemory(args));
      status = Cli.FAILED;
    }
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** One line for running out of memory, naming the command and the heap's size. */
  static String outOfMemory(String[] args) {
    String command = "poetry";
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        command = "poetry " + arg;
        break;
      }
    }
    return command
        + ": error: "
        + Failures.outOfMemory(
            "out of memory (the JVM's heap is at most "
                + PoemTooLargeException.describeBytes(Runtime.getRuntime().maxMemory())
                + ")");
  }

  /**
   * A thread died of an uncaught throwable: an {@link OutOfMemoryError} is reported in one line and
   * ends the program with status 1 (its state is unknown); anything else as the JDK would.
   */
  private static void uncaught(Thread thread, Throwable e) {
    if (Failures.causedByOutOfMemory(e)) {
      System.err.println(outOfMemory(new String[0]));
      System.err.flush();
      Runtime.getRuntime().halt(Cli.FAILED);
    }
    System.err.print("Exception in thread \"" + thread.getName() + "\" ");
    e.printStackTrace(System.err);
  }

  private static PrintStream utf8(FileDescriptor fd) {
    return new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
  }

  private static boolean isServer(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return SERVERS.contains(arg);
      }
    }
    return false;
  }

  private static boolean isCommand(String[] args, String command) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return arg.equals(command);
      }
    }
    return false;
  }

  /**
   * Configures slf4j-simple unless the user did ({@code -Dorg.slf4j.simpleLogger.*} in {@code
   * POETRY_JAVA_OPTS}): one line per message on standard error, no thread or logger names; servers
   * log what they do (INFO, with the time), clients only warnings and errors, and the simulation
   * only errors (the simulated proxies warn of every fetch a fault breaks; the simulation reports
   * what matters itself).
   */
  static void configureLogging(boolean server, boolean simulation) {
    String p = "org.slf4j.simpleLogger.";
    setIfAbsent(p + "defaultLogLevel", server ? "info" : simulation ? "error" : "warn");
    setIfAbsent(p + "showThreadName", "false");
    setIfAbsent(p + "showLogName", "false");
    setIfAbsent(p + "showShortLogName", "false");
    setIfAbsent(p + "showDateTime", Boolean.toString(server));
    setIfAbsent(p + "dateTimeFormat", "HH:mm:ss");
    // The Redis client's own lines about each reconnection attempt: the proxy says once when
    // Redis is lost and once when it is back.
    setIfAbsent(p + "log.io.lettuce.core", "error");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
