package dev.braid.tls;

import dev.braid.defer.Deferred;
import dev.braid.net.Protocol;

/**
 * A protocol wrapped in TLS: what {@link Tls#server}, {@link Tls#client} and {@link Tls#upgradable}
 * return, to give to a transport in place of the protocol itself (for instance to a {@code
 * ConnectedPair} of the test kit).
 *
 * <p>Threading: reactor thread only.
 */
public interface TlsProtocol extends Protocol {
  /**
   * Returns a Deferred of the handshake's outcome: fired with the TLS transport once the handshake
   * has finished and the wrapped protocol's {@code makeConnection} has run, or failed with the
   * {@link TlsException} that ended it (or the connection's end, if it closed for another reason
   * first). Each call returns a new Deferred, so a failure is reported only to those who asked.
   *
   * @return a new Deferred
   */
  Deferred<TlsTransport> handshake();

  /** {@return the protocol this one wraps} */
  Protocol wrappedProtocol();
}
