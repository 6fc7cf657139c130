package dev.braid.examples.deferreds;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.reactor.Tasks;

/**
 * "Introduction to Deferreds", sections "A hypothetical problem" and "One solution: Deferred":
 * {@code podBayDoors.open()} returns before the doors are open, so the pod must not launch on the
 * next line. It launches from a callback on the Deferred that {@code open()} returns:
 *
 * <pre>{@code
 * Deferred<Void> d = podBayDoors.open();
 * d.addCallback(ignored -> pod.launch());
 * }</pre>
 *
 * <p>{@code bin/example deferreds.PodBayDoors}
 */
public final class PodBayDoors {
  private final Clock clock;

  private PodBayDoors(Clock clock) {
    this.clock = clock;
  }

  /** {@return a Deferred that fires once the doors are open, a moment from now} */
  Deferred<Void> open() {
    System.out.println("Opening the pod bay doors...");
    Deferred<Void> opened = Deferred.create();
    clock.callLater(
        0.1,
        () -> {
          System.out.println("The pod bay doors are open.");
          opened.callback(null);
        });
    return opened;
  }

  /** The pod, which must not launch before the doors are open. */
  static final class Pod {
    Void launch() {
      System.out.println("The pod launches.");
      return null;
    }
  }

  /**
   * Opens the doors, then launches the pod.
   *
   * @param args none
   */
  public static void main(String[] args) {
    Tasks.reactAndExit(
        reactor -> {
          PodBayDoors podBayDoors = new PodBayDoors(reactor);
          Pod pod = new Pod();
          Deferred<Void> d = podBayDoors.open();
          System.out.println("open() has returned; the doors are not open yet.");
          return d.addCallback(ignored -> pod.launch());
        });
  }
}
