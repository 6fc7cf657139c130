package dev.braid.poetry.cli;

import java.io.Console;

/**
 * Tells whether the program's output goes to a terminal. {@code bin/poetry} knows best (the shell
 * tests {@code -t 1} and {@code -t 2}) and passes {@code -Dbraid.poetry.terminal=true|false};
 * without it, Java's console decides ({@link Console#isTerminal()}).
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
    return console != null && console.isTerminal();
  }
}
