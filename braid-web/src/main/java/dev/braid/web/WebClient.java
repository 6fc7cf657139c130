package dev.braid.web;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.net.ConnectError;
import dev.braid.net.ReactorCore;
import dev.braid.net.ReactorThreads;
import dev.braid.net.SystemEventPhase;
import dev.braid.tls.TlsClientOptions;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP client for one reactor: Twisted's {@code getPage} and {@code Agent}, on the JDK's {@link
 * HttpClient} (HTTP/1.1 and HTTP/2, TLS, connection pooling). Every Deferred it returns fires on
 * the reactor thread, and a streamed body is delivered there: nothing of the caller's ever runs on
 * the JDK client's threads.
 *
 * <pre>{@code
 * WebClient.getPage(reactor, "https://example.com/")
 *     .addCallback(page -> new String(page, StandardCharsets.UTF_8).toLowerCase())
 *     .addCallback(text -> { System.out.println(text); return null; })
 *     .addErrback(failure -> { System.err.println("An error has occurred: " + failure.value()); return null; });
 *
 * WebClient client = WebClient.forReactor(reactor);
 * client.request("GET", "https://api.example.com/users", Map.of("Accept", List.of("application/json")), null)
 *     .addCallback(response -> response.json(new TypeReference<List<User>>() {}));
 * }</pre>
 *
 * <h2>Three ways to ask</h2>
 *
 * <ul>
 *   <li>{@link #getPage(String)}: the body of a 2xx response, following redirects; any other status
 *       is an {@link HttpError} carrying status and body (Twisted's {@code getPage}).
 *   <li>{@link #request(Request)}: any response, whole, whatever its status; redirects are not
 *       followed unless the request says so (Twisted's {@code Agent.request} with {@code
 *       readBody}).
 *   <li>{@link #stream(Request, BodyConsumer)}: the body in pieces, with backpressure, to a {@link
 *       BodyConsumer} (Twisted's {@code Response.deliverBody}).
 * </ul>
 *
 * <h2>TLS</h2>
 *
 * HTTPS is the JDK's: the server's chain must lead to the JDK's default roots and its certificate
 * must be valid for the URL's host. {@link #withTls} gives a client with other settings (a private
 * CA's roots, a client certificate), from braid-tls's {@link TlsClientOptions}. A certificate that
 * is not trusted fails the request with an {@link java.io.IOException} naming the URL, whose cause
 * is the JDK's {@link javax.net.ssl.SSLHandshakeException}.
 *
 * <h2>One client per reactor</h2>
 *
 * {@link #forReactor} returns the same client for the same reactor, and a different one for each
 * reactor; there is no JVM-wide client. A client creates its JDK clients and their threads on first
 * use: one JDK client for each combination of connect timeout and redirect policy in use (normally
 * one or two), sharing one executor. When the reactor shuts down (a {@link SystemEventPhase#BEFORE
 * BEFORE} trigger), the client aborts what is still in flight, each Deferred failing with a {@link
 * dev.braid.net.ConnectionLost} that names its URL, shuts its JDK clients down and waits, off the
 * reactor thread, up to 5 seconds for them and their executor to terminate. Requests made after
 * that fail at once. A reactor that never runs never shuts down: its client lives as long as the
 * reactor is reachable, and both are collected together (the JDK's client then ends its selector
 * thread, and the idle executor threads end within a minute); an exchange still in flight keeps
 * both reachable until it ends.
 *
 * <h2>Threading</h2>
 *
 * Reactor thread only (or before the reactor runs, to set things up); a call from another thread
 * while it runs throws {@link IllegalStateException}. Hand work over with {@code callFromThread}.
 *
 * <h2>Errors</h2>
 *
 * <ul>
 *   <li>A bad URL (unparseable, relative, not {@code http}/{@code https}, no host) throws {@link
 *       IllegalArgumentException} naming it, synchronously, from {@link Request}'s factories and
 *       from the methods taking a URL string: it is a mistake in the caller's input, found before
 *       any I/O, and a program taking URLs from its user can check them up front by building a
 *       {@link Request}. (Twisted's {@code Agent} returns a failed Deferred instead.)
 *   <li>Connecting fails with the {@link ConnectError} family, as {@code connectTCP} does: {@link
 *       dev.braid.net.ConnectionRefusedError}, {@link dev.braid.net.DnsLookupError}, {@link
 *       dev.braid.net.ConnectTimeoutError}; the message names the URL.
 *   <li>The request's overall timeout fails it with {@link HttpTimeoutException} naming the URL and
 *       the timeout; the exchange is aborted and its connection closed.
 *   <li>Any other I/O problem is an {@link java.io.IOException} naming the URL, with the JDK's
 *       exception as its cause; a streamed body that breaks off is a {@link
 *       dev.braid.net.ConnectionLost}.
 * </ul>
 *
 * <h2>Cancellation</h2>
 *
 * Cancelling a returned Deferred aborts the exchange at whatever stage it is (connecting, waiting
 * for the response, reading the body): the JDK's future is cancelled with {@code cancel(true)},
 * which makes the JDK's client close the connection rather than return it to its pool, and a
 * streamed body's subscription is cancelled. The Deferred fails with {@link
 * dev.braid.defer.CancelledException}. The socket is shut down for output at once (the server reads
 * end of stream); as for any NIO channel registered with a selector, the JDK releases the socket
 * itself at its selector's next wake-up, within about 3 seconds (its idle select timeout), after
 * which a server still writing gets a reset.
 */
public final class WebClient {
  private static final Logger LOG = LoggerFactory.getLogger(WebClient.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  /** How long shutdown waits for the JDK's clients and the executor to terminate. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /**
   * The client of each reactor that has one and has not shut down, weak both ways so that a reactor
   * dropped without ever running (whose shutdown trigger never runs) is collected with its client:
   * the key holds the reactor weakly, by identity; the value holds the client weakly, since the
   * client refers to its reactor. The reactor's shutdown trigger keeps the client alive as long as
   * the reactor. Guarded by itself.
   */
  private static final Map<ReactorKey, WeakReference<WebClient>> CLIENTS = new HashMap<>();

  /** Where the keys of collected reactors are queued, to be removed from {@link #CLIENTS}. */
  private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

  private final int id = IDS.incrementAndGet();

  /** The reactor as its event loop (shutdown trigger, running), threads and time: one object. */
  private final ReactorCore reactor;

  private final ReactorThreads threads;
  private final Clock clock;

  /**
   * The reactor's client, whose state this one shares: itself, or the one {@link #withTls} was
   * called on.
   */
  private final WebClient root;

  /** The TLS settings of this client's HTTPS connections, or null for the JDK's defaults. */
  private final TlsClientOptions tls;

  // Reactor thread only.
  private final Map<JdkClientKey, HttpClient> httpClients = new HashMap<>();
  private final Set<Exchange<?>> inFlight = new LinkedHashSet<>();
  private ExecutorService executor;
  private boolean closed;

  // Any thread: bytes of streamed bodies received from the JDK but not yet delivered.
  private final AtomicLong undeliveredBodyBytes = new AtomicLong();
  private final AtomicLong maxUndeliveredBodyBytes = new AtomicLong();

  /**
   * What distinguishes one JDK client from another; {@code tls} is compared by identity (null: the
   * JDK's default TLS settings).
   */
  private record JdkClientKey(
      Duration connectTimeout, boolean followRedirects, TlsClientOptions tls) {}

  /** A reactor held weakly, compared by identity (a cleared key equals only itself). */
  private static final class ReactorKey extends WeakReference<Object> {
    private final int hash;

    ReactorKey(Object reactor, ReferenceQueue<Object> queue) {
      super(reactor, queue);
      this.hash = System.identityHashCode(reactor);
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      Object reactor = get();
      return reactor != null && other instanceof ReactorKey key && key.get() == reactor;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private <R extends ReactorCore & ReactorThreads & Clock> WebClient(R reactor) {
    this.reactor = reactor;
    this.threads = reactor;
    this.clock = reactor;
    this.root = this;
    this.tls = null;
  }

  private WebClient(WebClient root, TlsClientOptions tls) {
    this.reactor = root.reactor;
    this.threads = root.threads;
    this.clock = root.clock;
    this.root = root;
    this.tls = tls;
  }

  /**
   * Returns a client of the same reactor whose HTTPS connections use {@code options}: they trust
   * exactly its roots (a private CA, say) instead of the JDK's, present its client certificate when
   * a server asks for one, and offer its TLS versions. The host name of each URL is still checked
   * against the server's certificate (the options' own host name, if any, is not used). The new
   * client shares this one's lifecycle, threads and shutdown: it closes when the reactor shuts
   * down. Calling this costs nothing until the first request; keep the client to reuse its
   * connections.
   *
   * <pre>{@code
   * WebClient internal =
   *     WebClient.forReactor(reactor)
   *         .withTls(TlsClientOptions.defaults().trustingPem(Path.of("ca.pem"))
   *             .withClientCertificatePem(Path.of("client.pem"), Path.of("client-key.pem")));
   * }</pre>
   *
   * @param options trust, client certificate and versions
   * @return a client with these TLS settings
   * @throws IllegalStateException if called off the reactor thread while it runs
   */
  public WebClient withTls(TlsClientOptions options) {
    Objects.requireNonNull(options, "options");
    checkThread("withTls()");
    return new WebClient(root, options);
  }

  /**
   * Returns the client of {@code reactor}, creating it on first call; later calls return the same
   * one. It closes itself when the reactor shuts down.
   *
   * <p>The client needs of the reactor only its event loop ({@link ReactorCore}: a shutdown
   * trigger, whether it runs), its threads ({@link ReactorThreads}: results handed over with {@code
   * callFromThread}, the JDK's clients awaited with {@code deferToThread}) and its time ({@link
   * Clock}: request timeouts), not TCP, which the JDK's client does itself; a whole {@link
   * dev.braid.net.Reactor} is all three.
   *
   * @param reactor the reactor its results are delivered on
   * @param <R> the reactor's type
   * @return the reactor's client
   * @throws IllegalStateException if called off the reactor thread while it runs, or once it has
   *     begun to shut down
   */
  public static <R extends ReactorCore & ReactorThreads & Clock> WebClient forReactor(R reactor) {
    Objects.requireNonNull(reactor, "reactor");
    synchronized (CLIENTS) {
      for (Reference<?> gone; (gone = COLLECTED.poll()) != null; ) {
        CLIENTS.remove(gone);
      }
      WeakReference<WebClient> cached = CLIENTS.get(new ReactorKey(reactor, null));
      WebClient client = cached == null ? null : cached.get();
      if (client != null) {
        client.checkThread("forReactor()");
        return client;
      }
      if (!reactor.isRunning() && reactor.isReactorThread()) {
        throw new IllegalStateException(
            "forReactor(): the reactor is shutting down or has stopped");
      }
      client = new WebClient(reactor);
      // Throws off the reactor thread; adds the trigger that closes the client.
      reactor.addSystemEventTrigger(SystemEventPhase.BEFORE, client::close);
      CLIENTS.put(new ReactorKey(reactor, COLLECTED), new WeakReference<>(client));
      return client;
    }
  }

  /**
   * Fetches a page: {@code forReactor(reactor).getPage(url)}, Twisted's {@code getPage(url)}.
   *
   * @param reactor the reactor the Deferred fires on
   * @param url an absolute {@code http} or {@code https} URL
   * @param <R> the reactor's type: its event loop, threads and time, as for {@link #forReactor}
   * @return a Deferred of the body of the 2xx response
   * @throws IllegalArgumentException if the URL is not valid; the message names it
   * @see #getPage(String)
   */
  public static <R extends ReactorCore & ReactorThreads & Clock> Deferred<byte[]> getPage(
      R reactor, String url) {
    return forReactor(reactor).getPage(url);
  }

  /**
   * Fetches a page with GET, following redirects (as Twisted's {@code getPage}), and fires with its
   * body. A final status other than 2xx fails the Deferred with {@link HttpError} (status, headers
   * and body); see the class comment for the other errors and for cancellation.
   *
   * @param url an absolute {@code http} or {@code https} URL
   * @return a Deferred of the body
   * @throws IllegalArgumentException if the URL is not valid; the message names it
   */
  public Deferred<byte[]> getPage(String url) {
    return getPage(Request.builder("GET", url).followRedirects().build());
  }

  /**
   * Makes {@code request} and fires with the body of its 2xx response; any other status fails the
   * Deferred with {@link HttpError}. Redirects are followed only if the request says so; one not
   * followed is an {@link HttpError} too.
   *
   * @param request the request, with its timeouts
   * @return a Deferred of the body
   */
  public Deferred<byte[]> getPage(Request request) {
    return request(request).addCallback(WebClient::bodyOfSuccess);
  }

  private static byte[] bodyOfSuccess(Response response) throws HttpError {
    if (!response.isSuccess()) {
      throw new HttpError(response);
    }
    return response.body();
  }

  /**
   * Makes a request and fires with the whole response, whatever its status (Twisted's {@code
   * Agent.request}, with the body read). Redirects are not followed.
   *
   * @param method such as {@code "GET"}
   * @param url an absolute {@code http} or {@code https} URL
   * @param headers names to values; null for none
   * @param body the body, not copied; null for none
   * @return a Deferred of the response
   * @throws IllegalArgumentException if the URL, the method or a header is not valid
   */
  public Deferred<Response> request(
      String method, String url, Map<String, ? extends Collection<String>> headers, byte[] body) {
    return request(Request.builder(method, url).headers(headers).body(body).build());
  }

  /**
   * Makes a request and fires with the whole response, whatever its status. The body is held in
   * memory; for large bodies use {@link #stream}. The request's timeout covers the whole response,
   * body included.
   *
   * @param request the request
   * @return a Deferred of the response; cancelling it aborts the exchange
   * @throws IllegalStateException if called off the reactor thread while it runs
   */
  public Deferred<Response> request(Request request) {
    Objects.requireNonNull(request, "request");
    checkThread("request()");
    if (root.closed) {
      return Deferred.fail(Errors.closed(request));
    }
    Exchange<Response> exchange = new Exchange<>(this, request);
    CompletableFuture<HttpResponse<byte[]>> future =
        httpClient(request)
            .sendAsync(request.httpRequest(), HttpResponse.BodyHandlers.ofByteArray());
    exchange.begin(
        future,
        response ->
            new Response(
                request,
                new ResponseHead(response.statusCode(), response.headers(), response.version()),
                response.uri(),
                response.body()));
    return exchange.result();
  }

  /**
   * Makes a request and delivers the response's body to {@code consumer} piece by piece, with
   * backpressure, instead of holding it whole: see {@link BodyConsumer}. Whatever the status, the
   * consumer gets the head and the body. The Deferred fires with the head once the whole body has
   * been delivered (after the consumer's {@code connectionLost} with {@link
   * dev.braid.net.ConnectionDone}), or fails: before the head arrives with the errors of the class
   * comment (the consumer is then never called), afterwards with the {@link
   * dev.braid.net.ConnectionLost} the consumer was given. The request's timeout covers only the
   * wait for the head, so a paused consumer never times out.
   *
   * <p>Cancelling the Deferred, or the consumer's {@code stopProducing()}, aborts the exchange and
   * closes its connection; the consumer then gets {@link dev.braid.net.ConnectionAborted} from the
   * event loop.
   *
   * @param request the request
   * @param consumer receives the head and the body, on the reactor thread
   * @return a Deferred of the head, fired when the body is complete
   * @throws IllegalStateException if called off the reactor thread while it runs
   */
  public Deferred<ResponseHead> stream(Request request, BodyConsumer consumer) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(consumer, "consumer");
    checkThread("stream()");
    if (root.closed) {
      return Deferred.fail(Errors.closed(request));
    }
    Exchange<ResponseHead> exchange = new Exchange<>(this, request);
    HttpResponse.BodyHandler<Void> handler =
        info ->
            new BodyStream(
                exchange,
                this,
                consumer,
                new ResponseHead(info.statusCode(), info.headers(), info.version()));
    exchange.begin(httpClient(request).sendAsync(request.httpRequest(), handler), null);
    return exchange.result();
  }

  // ---------------------------------------------------------------------------------------------
  // For the package

  /** The reactor's threads: where results are handed over to. */
  ReactorThreads reactor() {
    return threads;
  }

  /** The reactor's time: where request timeouts run. */
  Clock clock() {
    return clock;
  }

  void started(Exchange<?> exchange) {
    root.inFlight.add(exchange);
  }

  void finished(Exchange<?> exchange) {
    root.inFlight.remove(exchange);
  }

  /** How many exchanges are in flight (for tests). Reactor thread only. */
  int inFlightCount() {
    return root.inFlight.size();
  }

  void bodyBytesReceived(int n) {
    long now = root.undeliveredBodyBytes.addAndGet(n);
    root.maxUndeliveredBodyBytes.accumulateAndGet(now, Math::max);
  }

  void bodyBytesDelivered(int n) {
    root.undeliveredBodyBytes.addAndGet(-n);
  }

  /** The most bytes of streamed bodies ever received from the JDK and not yet delivered. */
  long maxUndeliveredBodyBytes() {
    return root.maxUndeliveredBodyBytes.get();
  }

  /** The JDK clients created so far (for tests). Reactor thread, or after the reactor stopped. */
  List<HttpClient> httpClients() {
    return List.copyOf(root.httpClients.values());
  }

  /** The executor of the JDK clients, or null if none was needed yet (for tests). */
  ExecutorService executor() {
    return root.executor;
  }

  boolean isClosed() {
    return root.closed;
  }

  // ---------------------------------------------------------------------------------------------

  private void checkThread(String what) {
    if (reactor.isRunning() && !threads.isReactorThread()) {
      throw new IllegalStateException(
          what
              + " must be called on the reactor thread, not on "
              + Thread.currentThread().getName()
              + "; hand the work over with callFromThread()");
    }
  }

  private HttpClient httpClient(Request request) {
    JdkClientKey key = new JdkClientKey(request.connectTimeout(), request.followsRedirects(), tls);
    return root.httpClients.computeIfAbsent(key, root::newHttpClient);
  }

  private HttpClient newHttpClient(JdkClientKey key) {
    if (executor == null) {
      executor =
          Executors.newCachedThreadPool(
              Thread.ofPlatform().name("braid-web-" + id + "-", 0).daemon().factory());
    }
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(key.connectTimeout())
            .followRedirects(
                key.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
    if (key.tls() != null) {
      SSLParameters parameters = new SSLParameters();
      parameters.setProtocols(key.tls().protocols().toArray(String[]::new));
      builder.sslContext(key.tls().sslContext()).sslParameters(parameters);
    }
    return builder.build();
  }

  /** The BEFORE shutdown trigger: abort what is in flight, then shut the JDK's clients down. */
  private Deferred<?> close() {
    synchronized (CLIENTS) {
      ReactorKey key = new ReactorKey(reactor, null);
      WeakReference<WebClient> cached = CLIENTS.get(key);
      if (cached != null && cached.get() == this) {
        CLIENTS.remove(key);
      }
    }
    closed = true;
    for (Exchange<?> exchange : new ArrayList<>(inFlight)) {
      exchange.abort(
          Errors.shuttingDown(exchange.request()), Errors.shuttingDown(exchange.request()));
    }
    if (httpClients.isEmpty()) {
      return null;
    }
    List<HttpClient> clients = List.copyOf(httpClients.values());
    ExecutorService pool = executor;
    for (HttpClient client : clients) {
      client.shutdownNow();
    }
    return threads.deferToThread(
        () -> {
          for (HttpClient client : clients) {
            if (!client.awaitTermination(CLOSE_WAIT)) {
              LOG.warn("an HTTP client of {} did not terminate within {}", this, CLOSE_WAIT);
            }
          }
          pool.shutdownNow();
          if (!pool.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("the executor of {} did not terminate within {}", this, CLOSE_WAIT);
          }
          return null;
        });
  }

  @Override
  public String toString() {
    return "WebClient-" + root.id + (tls == null ? "" : " (own TLS settings)") + " of " + reactor;
  }
}
