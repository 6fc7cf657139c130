/**
 * An HTTP client for the reactor: Twisted's {@code twisted.web.client} ({@code getPage}, {@code
 * Agent}, {@code readBody}, {@code Response.deliverBody}) on the JDK's {@link
 * java.net.http.HttpClient}.
 *
 * <ul>
 *   <li>{@link dev.braid.web.WebClient}: one per reactor; {@code getPage}, {@code request}, {@code
 *       stream}. Every Deferred fires on the reactor thread; the JDK's threads only hand over.
 *   <li>{@link dev.braid.web.Request}: method, URL, headers, body, timeouts, redirects; checked
 *       when built.
 *   <li>{@link dev.braid.web.Response} and {@link dev.braid.web.ResponseHead}: status, headers,
 *       body as bytes, text or JSON (Jackson).
 *   <li>{@link dev.braid.web.HttpError}: a non-2xx status as a failure, from {@code getPage}.
 *   <li>{@link dev.braid.web.BodyConsumer}: a body in pieces, with backpressure.
 * </ul>
 *
 * <p>Errors reuse the reactor's: a connection attempt fails with {@link dev.braid.net.ConnectError}
 * and its subclasses, a streamed body that breaks off with {@link dev.braid.net.ConnectionLost}.
 *
 * <p>Threading: reactor thread only, or before the reactor runs.
 */
package dev.braid.web;
