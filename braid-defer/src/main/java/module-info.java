/**
 * Braid's Deferred: a result that has not come yet, with Twisted's callback chains, failures,
 * cancellation, timeouts and coroutines. Depends on nothing but the JDK ({@code java.base}, and
 * {@code jdk.jfr} for its flight-recorder event).
 */
module dev.braid.defer {
  // Flight-recorder events (the JDK's own module; nothing is recorded unless a recording asks).
  requires jdk.jfr;

  exports dev.braid.defer;
}
