package dev.braid.reactor;

/**
 * A running {@link SelectorReactor} as seen over JMX: registered in the platform MBean server as
 * {@code dev.braid:type=Reactor,name=<reactor thread's name>} while the reactor runs (from {@code
 * run()} until it returns), so that {@code jconsole}, JDK Mission Control or {@code poetry pending
 * PID} can ask a live process what it is waiting on. If two running reactors' threads share a name,
 * the later one's name ends with {@code #<its number>}. The system property {@code braid.jmx=false}
 * turns registration off.
 *
 * <p>Every method may be called from any thread (JMX calls come from the JMX connector's threads).
 * The counts are read without locks; the dumps are taken on the reactor thread when it answers
 * within two seconds, as {@link SelectorReactor#dumpPending()} explains.
 */
public interface ReactorMXBean {
  /** {@return the name of the reactor's thread} */
  String getThreadName();

  /** {@return the reactor's state: running or stopping} */
  String getState();

  /** {@return how many TCP connections are open} */
  int getConnectionCount();

  /** {@return how many ports are listening} */
  int getListeningPortCount();

  /** {@return how many delayed calls are scheduled} */
  int getDelayedCallCount();

  /** {@return how many Deferreds of the reactor's thread are pending (0 outside debug mode)} */
  int getPendingDeferredCount();

  /**
   * {@return true if debug mode is on: Deferreds are tracked and slow callbacks logged} It is the
   * JVM-wide {@link dev.braid.defer.Deferred#isDebugging()}.
   */
  boolean isDebugging();

  /**
   * Turns debug mode on or off for the whole JVM ({@link dev.braid.defer.Deferred#setDebugging}):
   * Deferreds created from then on are tracked.
   *
   * @param on whether to turn it on
   */
  void setDebugging(boolean on);

  /** {@return the slow-callback threshold in milliseconds} */
  long getSlowCallbackThresholdMillis();

  /**
   * Sets the slow-callback threshold ({@link SelectorReactor#setSlowCallbackThreshold}).
   *
   * @param millis a positive number of milliseconds
   * @throws IllegalArgumentException if it is not positive
   */
  void setSlowCallbackThresholdMillis(long millis);

  /** {@return what the reactor is waiting on, as text: {@link SelectorReactor#dumpPending()}} */
  String dumpPending();

  /**
   * {@return the reactor's pending Deferreds as a Graphviz DOT graph: {@link
   * SelectorReactor#dumpPendingDot()}}
   */
  String dumpPendingDot();
}
