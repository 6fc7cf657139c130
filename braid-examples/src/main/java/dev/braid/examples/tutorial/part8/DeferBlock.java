package dev.braid.examples.tutorial.part8;

import dev.braid.defer.Deferred;
import dev.braid.reactor.SelectorReactor;

/**
 * Part 8's {@code twisted-deferred/defer-block.py}: a Deferred does not make a blocking callback
 * non-blocking. The second callback writes a poem a word at a time, sleeping between words; firing
 * the Deferred runs the whole chain, sleeps included, before {@code callback} returns, and all that
 * time the reactor can do nothing else: a timer due a tenth of a second after the start runs only
 * once the chain is done.
 *
 * <p>{@code bin/example tutorial.part8.DeferBlock} (about half a second).
 */
public final class DeferBlock {
  private DeferBlock() {}

  /**
   * Runs the story.
   *
   * @param args none
   */
  public static void main(String[] args) {
    Deferred<Boolean> d = Deferred.create();
    d.addCallback(
            ignored -> {
              System.out.println("The start of the callback chain.");
              return null;
            })
        .addCallback(ignored -> blockingPoem())
        .addCallback(
            ignored -> {
              System.out.println("The end of the callback chain.");
              return null;
            });

    SelectorReactor reactor = SelectorReactor.create();
    reactor.callWhenRunning(
        () -> {
          System.out.println("Firing deferred.");
          d.callback(true);
          System.out.println("Firing finished.");
        });
    reactor.callLater(
        0.1,
        () -> {
          System.out.println("The timer due 0.1 s after the start runs only now.");
          reactor.stop();
        });
    System.out.println("Starting reactor.");
    reactor.run();
    System.out.println("Done.");
  }

  /** The blocking callback: a poem written slowly, with {@code Thread.sleep} between the words. */
  private static Void blockingPoem() throws InterruptedException {
    delayedWrite("\n", 0);
    delayedWrite("I", 60);
    delayedWrite(" block", 40);
    delayedWrite("\n\nand", 100);
    delayedWrite(" the", 40);
    delayedWrite(" deferred", 60);
    delayedWrite("\nblocks", 150);
    delayedWrite("\n\n", 100);
    return null;
  }

  private static void delayedWrite(String s, long delayMillis) throws InterruptedException {
    Thread.sleep(delayMillis);
    System.out.print(s);
    System.out.flush();
  }
}
