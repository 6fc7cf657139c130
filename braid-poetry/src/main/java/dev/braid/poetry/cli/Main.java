package dev.braid.poetry.cli;

import dev.braid.reactor.SelectorReactor;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The {@code poetry} command's entry point, run by {@code bin/poetry}. Sets up UTF-8 output and
 * quiet one-line logging, runs the command and exits with its status: 0 success, 1 a poem or
 * request failed, 2 a usage error.
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
    configureLogging(isServer(args));
    Env env =
        new Env(out, err, Terminals.outputIsTerminal(), SelectorReactor::create, /* hook */ true);
    int status = Cli.execute(env, args);
    out.flush();
    err.flush();
    System.exit(status);
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

  /**
   * Configures slf4j-simple unless the user did ({@code -Dorg.slf4j.simpleLogger.*} in {@code
   * POETRY_JAVA_OPTS}): one line per message on standard error, no thread or logger names; servers
   * log what they do (INFO, with the time), clients only warnings and errors.
   */
  static void configureLogging(boolean server) {
    String p = "org.slf4j.simpleLogger.";
    setIfAbsent(p + "defaultLogLevel", server ? "info" : "warn");
    setIfAbsent(p + "showThreadName", "false");
    setIfAbsent(p + "showLogName", "false");
    setIfAbsent(p + "showShortLogName", "false");
    setIfAbsent(p + "showDateTime", Boolean.toString(server));
    setIfAbsent(p + "dateTimeFormat", "HH:mm:ss");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
