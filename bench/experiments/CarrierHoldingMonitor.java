import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * An experiment, not Braid code (ADR 0019): a virtual thread mounted on a platform thread that holds
 * a monitor. It gives virtual threads, through the constructor the JDK keeps for its own tests, a
 * scheduler that runs them on the thread that starts or unparks them, as the rejected
 * "driver-carried" prototype of Async did. The body parks (its stack is frozen) while mounted on
 * this thread inside a synchronized block; the thread leaves the block, enters it again, and runs
 * a full GC. On Temurin 25.0.3 the JVM crashes there (SIGSEGV in G1FullGCMarker::mark_and_push,
 * reached from JavaThread::oops_do_no_frames while it walks the thread's lock stack); the same steps
 * without the synchronized blocks run to the end.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED bench/experiments/CarrierHoldingMonitor.java [nolock]
 * </pre>
 */
public final class CarrierHoldingMonitor {
  public static void main(String[] args) throws Exception {
    boolean lock = !(args.length > 0 && args[0].equals("nolock"));
    Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
    Constructor<?> constructor = builderClass.getDeclaredConstructor(Executor.class);
    constructor.setAccessible(true);
    Executor runHere = Runnable::run; // mount the virtual thread on the thread that schedules it
    Thread.Builder builder = (Thread.Builder) constructor.newInstance(runHere);
    Object monitor = new Object();
    for (int i = 0; i < 20; i++) {
      int[] turn = {0};
      Thread body =
          builder.unstarted(
              () -> {
                for (int expected = 1; expected <= 2; expected++) {
                  while (turn[0] != expected) {
                    LockSupport.park(); // unmounts: the continuation is frozen
                  }
                }
                System.gc();
              });
      body.start(); // runs the body here until it parks
      turn[0] = 1;
      if (lock) {
        synchronized (monitor) {
          LockSupport.unpark(body); // runs it here, while this thread holds the monitor, until it parks
        }
        synchronized (monitor) {
          System.gc();
          turn[0] = 2;
          LockSupport.unpark(body); // to its end, with a full GC, while the monitor is held again
        }
      } else {
        LockSupport.unpark(body);
        System.gc();
        turn[0] = 2;
        LockSupport.unpark(body);
      }
      body.join();
    }
    System.out.println("finished " + (lock ? "with" : "without") + " the monitor held");
  }
}
