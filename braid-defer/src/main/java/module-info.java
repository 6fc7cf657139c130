/**
 * Braid's Deferred: a result that has not come yet, with Twisted's callback chains, failures,
 * cancellation, timeouts and coroutines. Depends on nothing but the JDK.
 */
// The qualified export names a module that depends on this one, so it is not there when this one
// compiles: "module not found" is expected.
@SuppressWarnings("module")
module dev.braid.defer {
  exports dev.braid.defer;
  exports dev.braid.defer.internal to
      dev.braid.reactor;
}
