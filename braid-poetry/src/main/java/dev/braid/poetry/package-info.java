/**
 * The poetry suite of Dave Peticolas's Twisted tutorial, on Braid: poetry servers, the poetry
 * client, the transform service and the caching proxy, each split as the tutorial does into a
 * service, a protocol and a factory.
 *
 * <h2>Poetry</h2>
 *
 * A server ({@link dev.braid.poetry.PoetryServerFactory} over a {@link
 * dev.braid.poetry.PoetryService}) writes its poem, UTF-8, at once or in timed pieces ({@link
 * dev.braid.poetry.Pacing}), then closes. The client ({@link
 * dev.braid.poetry.PoetryClient#getPoetry} and {@link dev.braid.poetry.PoetryClientFactory}) reads
 * to the end of the stream; a clean close delivers the poem and a reset is a failure.
 *
 * <h2>Transforms</h2>
 *
 * Netstrings: the request is {@code NAME.POEM}, the reply the transformed poem, then the server
 * closes; errors close without a reply. {@link dev.braid.poetry.TransformService} holds the
 * transforms, {@link dev.braid.poetry.TransformServerFactory} serves any {@link
 * dev.braid.poetry.Transformer}, and {@link dev.braid.poetry.TransformProxy} asks a server through
 * {@link dev.braid.poetry.TransformClientFactory}.
 *
 * <h2>The caching proxy</h2>
 *
 * {@link dev.braid.poetry.ProxyService} caches one upstream poem with a TTL and fetches it once
 * however many clients wait (single flight); {@link dev.braid.poetry.PoetryProxyFactory} serves it.
 *
 * <h2>Known limit of the poetry protocol</h2>
 *
 * A server that crashes after sending part of a poem usually ends the stream with a clean close,
 * which cannot be told apart from the end of the poem. Braid treats resets as failures, so a proxy
 * never caches a poem cut by a reset, and does not pretend to detect more.
 *
 * <p>Threading: everything here runs on the reactor thread. Every object that makes a Deferred is
 * the one that fires it (the tutorial's "you make it, you fire it").
 */
package dev.braid.poetry;
