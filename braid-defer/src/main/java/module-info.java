/**
 * Braid's Deferred: a result that has not come yet, with Twisted's callback chains, failures,
 * cancellation, timeouts and coroutines. Depends on nothing but the JDK ({@code java.base}, and
 * {@code jdk.jfr} for its flight-recorder event).
 */
// The qualified export names a module that depends on this one, so it is not there when this one
// compiles: "module not found" is expected.
@SuppressWarnings("module")
module dev.braid.defer {
  // Flight-recorder events (the JDK's own module; nothing is recorded unless a recording asks).
  requires jdk.jfr;

  exports dev.braid.defer;
  exports dev.braid.defer.internal to
      dev.braid.reactor;
}
