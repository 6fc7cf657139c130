/**
 * What user code implements and uses on a connection: Twisted's {@code twisted.internet.protocol}
 * and {@code interfaces}.
 *
 * <p>A {@link dev.braid.net.Protocol} handles one connection's events; a {@link
 * dev.braid.net.Factory} builds one protocol per connection; a {@link dev.braid.net.Transport} is
 * how a protocol writes and closes. How a connection ended is a sealed {@link
 * dev.braid.net.ConnectionEnd}; why a connection attempt failed is a {@link
 * dev.braid.net.ConnectError}. Backpressure follows Twisted's producers and consumers ({@link
 * dev.braid.net.Producer}). A {@link dev.braid.net.ReconnectingClientFactory} reconnects with
 * backoff; {@link dev.braid.net.ServerEndpoint} and {@link dev.braid.net.ClientEndpoint} say where
 * to listen and connect (built by {@code dev.braid.reactor.Endpoints}).
 *
 * <p>Threading: every method here is called on, and must be called from, the reactor thread that
 * owns the connection.
 */
package dev.braid.net;
