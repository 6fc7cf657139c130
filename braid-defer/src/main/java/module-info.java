/**
 * Braid's Deferred: a result that has not come yet, with Twisted's callback chains, failures,
 * cancellation, timeouts and coroutines. Depends on nothing but the JDK.
 */
module dev.braid.defer {
  exports dev.braid.defer;
}
