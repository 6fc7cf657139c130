/**
 * The contracts of networked code, apart from any reactor that implements them: Twisted's {@code
 * twisted.internet.interfaces}, {@code protocol} and {@code error}.
 *
 * <p>What user code implements and uses on a connection: a {@link dev.braid.net.Protocol} handles
 * one connection's events; a {@link dev.braid.net.Factory} builds one protocol per connection; a
 * {@link dev.braid.net.Transport} is how a protocol writes and closes. How a connection ended is a
 * sealed {@link dev.braid.net.ConnectionEnd}; why a connection attempt failed is a {@link
 * dev.braid.net.ConnectError}. Backpressure follows Twisted's producers and consumers ({@link
 * dev.braid.net.Producer}). A {@link dev.braid.net.ReconnectingClientFactory} reconnects with
 * backoff; {@link dev.braid.net.ServerEndpoint} and {@link dev.braid.net.ClientEndpoint} say where
 * to listen and connect (built by {@code dev.braid.reactor.Endpoints}).
 *
 * <p>What a reactor offers, as small capability interfaces (Twisted's {@code IReactorCore}, {@code
 * IReactorThreads}, {@code IReactorTCP}): {@link dev.braid.net.ReactorCore} (running, stopping,
 * shutdown triggers), {@link dev.braid.net.ReactorThreads} ({@code callFromThread}, {@code
 * deferToThread}), {@link dev.braid.net.ReactorTcp} ({@code listenTCP}, {@code connectTCP}), and
 * time, which is {@link dev.braid.defer.Clock} ({@code IReactorTime}). {@link
 * dev.braid.net.Reactor} is their sum. Code asks for the narrowest one it uses, so that a test can
 * hand it a fake: a {@code VirtualClock}, the test kit's {@code MemoryReactor}. The implementation
 * is {@code dev.braid.reactor.SelectorReactor}, in the module {@code dev.braid.reactor}.
 *
 * <p>Threading: every method here is called on, and must be called from, the reactor thread that
 * owns the connection, except where a method says otherwise ({@link
 * dev.braid.net.ReactorThreads#callFromThread}, {@link dev.braid.net.ReactorCore#stop}).
 */
package dev.braid.net;
