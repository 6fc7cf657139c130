/**
 * Twisted's {@code Deferred} for Java: a placeholder for a result that has not arrived yet, which
 * runs a chain of callbacks and errbacks when it does.
 *
 * <p>The contract is Twisted's {@code twisted.internet.defer} (see {@link dev.braid.defer.Deferred}
 * for the places where Braid deliberately differs). Nothing here is thread-safe: a Deferred belongs
 * to one thread, normally a reactor thread. Other threads hand results over through the reactor's
 * {@code callFromThread} or {@link dev.braid.defer.Deferred#fromFuture}.
 *
 * <p>{@link dev.braid.defer.Async} writes Deferred code as straight-line code (Twisted's {@code
 * inlineCallbacks}): a body on a virtual thread, run in lock-step with the thread that owns its
 * Deferreds. Code that checks "am I on the reactor thread?" should compare {@link
 * dev.braid.defer.Async#ownerThread()}, which is that thread inside a body too.
 *
 * <p>Time, as Twisted's {@code twisted.internet.task} has it: the {@link dev.braid.defer.Clock}
 * interface (Twisted's {@code IReactorTime}, which every reactor implements), {@link
 * dev.braid.defer.VirtualClock} for tests, and what needs a clock only: {@link
 * dev.braid.defer.LoopingCall}, {@link dev.braid.defer.Deferreds#deferLater} and {@link
 * dev.braid.defer.Deferred#addTimeout}.
 *
 * <p>This package depends on the JDK only; it logs through {@link java.lang.System.Logger}.
 */
package dev.braid.defer;
