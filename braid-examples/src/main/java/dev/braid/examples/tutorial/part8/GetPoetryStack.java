package dev.braid.examples.tutorial.part8;

import dev.braid.examples.tutorial.Address;
import dev.braid.reactor.Tasks;

/**
 * Part 8's {@code twisted-client-4/get-poetry-stack.py}: the stack at the moment the first callback
 * runs, printed from it. Read from the bottom: {@code main} runs the reactor, the reactor's loop
 * reads the end of the connection and tells the protocol ({@code connectionLost}), which hands the
 * poem to the factory, which fires the Deferred ({@code callback}), which runs {@code gotPoem}.
 * Deferreds add steps between the reactor and our code; the reactor still calls it.
 *
 * <p>{@code bin/example tutorial.part8.GetPoetryStack [HOST:]PORT}
 */
public final class GetPoetryStack {
  private GetPoetryStack() {}

  /**
   * Downloads one poem and prints the stack from its callback.
   *
   * @param args the server, {@code [HOST:]PORT}
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: bin/example tutorial.part8.GetPoetryStack [HOST:]PORT");
      System.exit(2);
    }
    Address server = Address.parse(args[0]);
    Tasks.reactAndExit(
        reactor ->
            GetPoetry.getPoetry(reactor, server.host(), server.port())
                .addCallback(GetPoetryStack::gotPoem));
  }

  private static Void gotPoem(String poem) {
    System.out.println("The stack in gotPoem, innermost frame first:");
    StackWalker.getInstance().forEach(frame -> System.out.println("  at " + frame));
    return null;
  }
}
