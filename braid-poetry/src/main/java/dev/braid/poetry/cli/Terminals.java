package dev.braid.poetry.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Tells whether the program's output goes to a terminal. {@code bin/poetry} knows best (the shell
 * tests {@code -t 1} and {@code -t 2}) and passes {@code -Dbraid.poetry.terminal=true|false};
 * without it, Java's console decides: on JDK 22 and later {@code Console.isTerminal()}, before that
 * the presence of a console (which JDK 21 gives only when standard input and output are terminals).
 */
final class Terminals {
  static final String PROPERTY = "braid.poetry.terminal";

  private Terminals() {}

  static boolean outputIsTerminal() {
    String forced = System.getProperty(PROPERTY);
    if (forced != null) {
      return Boolean.parseBoolean(forced);
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 21: a console exists only for a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
