package dev.braid.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request for a {@link WebClient}: a method, an absolute {@code http} or {@code https}
 * URL, headers, a body, and the options of the exchange (timeouts, redirects). Immutable; make one
 * with {@link #get(String)} or {@link #builder(String, String)}.
 *
 * <pre>{@code
 * Request request = Request.builder("POST", "https://api.example.com/users")
 *     .header("Content-Type", "application/json")
 *     .body("{\"name\":\"glyph\"}".getBytes(StandardCharsets.UTF_8))
 *     .timeout(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 *
 * <h2>Validation</h2>
 *
 * Everything is checked when the request is built, before any I/O, and a mistake throws {@link
 * IllegalArgumentException} at once: a URL that does not parse, is not absolute, has a scheme other
 * than {@code http}/{@code https} or has no host (the message names the URL); an invalid method
 * name; a header the JDK's client does not let callers set ({@code Connection}, {@code
 * Content-Length}, {@code Host}, {@code Expect}, {@code Upgrade}); a timeout that is not positive.
 *
 * <h2>Defaults</h2>
 *
 * No headers, no body, no overall timeout (as Twisted's {@code Agent}), a connect timeout of 30
 * seconds (Twisted's default for TCP endpoints), and redirects <em>not</em> followed (as Twisted's
 * {@code Agent}; {@link WebClient#getPage(String)} follows them, as Twisted's {@code getPage}
 * does). Plain {@code http} URLs are spoken as HTTP/1.1; {@code https} URLs offer HTTP/2 through
 * ALPN and fall back to HTTP/1.1.
 */
public final class Request {
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final HttpRequest httpRequest;
  private final String method;
  private final URI uri;
  private final Duration timeout;
  private final Duration connectTimeout;
  private final boolean followRedirects;

  private Request(Builder builder) {
    this.method = builder.method;
    this.uri = builder.uri;
    this.timeout = builder.timeout;
    this.connectTimeout = builder.connectTimeout;
    this.followRedirects = builder.followRedirects;
    builder.http.method(
        method,
        builder.body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(builder.body));
    this.httpRequest = builder.http.build();
  }

  /**
   * Returns a GET request for {@code url} with the defaults (see the class comment).
   *
   * @param url an absolute {@code http} or {@code https} URL
   * @return the request
   * @throws IllegalArgumentException if the URL is not valid; the message names it
   */
  public static Request get(String url) {
    return builder("GET", url).build();
  }

  /**
   * Starts a request with the defaults (see the class comment).
   *
   * @param method the method, such as {@code "GET"} or {@code "POST"}; case-sensitive, as in HTTP
   * @param url an absolute {@code http} or {@code https} URL
   * @return a builder
   * @throws IllegalArgumentException if the URL or the method is not valid
   */
  public static Builder builder(String method, String url) {
    return new Builder(method, url);
  }

  /** {@return the method, such as {@code "GET"}} */
  public String method() {
    return method;
  }

  /** {@return the absolute URL the request goes to} */
  public URI uri() {
    return uri;
  }

  /**
   * {@return the headers set on the request (not those the JDK's client adds, such as {@code
   * Host}); names are case-insensitive}
   */
  public HttpHeaders headers() {
    return httpRequest.headers();
  }

  /**
   * {@return the overall timeout, or empty if none was set: for {@link WebClient#request(Request)}
   * the time allowed for the whole response, body included; for {@link WebClient#stream} the time
   * allowed until the status and headers have arrived}
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** {@return the time allowed to establish the connection; 30 seconds unless set} */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * {@return whether redirects are followed: true if {@link Builder#followRedirects()} was called}
   * They are followed as the JDK's {@link HttpClient.Redirect#NORMAL} does: never from {@code
   * https} to {@code http}, at most 5 hops unless the system property {@code
   * jdk.httpclient.redirects.retrylimit} says otherwise.
   */
  public boolean followsRedirects() {
    return followRedirects;
  }

  /** The request as the JDK's client takes it. */
  HttpRequest httpRequest() {
    return httpRequest;
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }

  /**
   * Parses and checks an absolute {@code http} or {@code https} URL.
   *
   * @throws IllegalArgumentException naming the URL if it is not one
   */
  static URI parseUrl(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a valid URL: " + url + " (" + e.getMessage() + ")", e);
    }
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("not an absolute URL (no http:// or https://): " + url);
    }
    String lower = scheme.toLowerCase(Locale.ROOT);
    if (!lower.equals("http") && !lower.equals("https")) {
      throw new IllegalArgumentException("not an http or https URL: " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("URL without a valid host: " + url);
    }
    return uri;
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + duration);
    }
    return duration;
  }

  /**
   * Builds a {@link Request}. Each method checks its argument at once; {@link #build()} may be
   * called more than once. Not thread-safe.
   */
  public static final class Builder {
    private final String method;
    private final URI uri;
    private final HttpRequest.Builder http;
    private byte[] body;
    private Duration timeout;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private boolean followRedirects;

    private Builder(String method, String url) {
      Objects.requireNonNull(method, "method");
      this.uri = parseUrl(url);
      try {
        this.http = HttpRequest.newBuilder(uri);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "not a usable URL: " + url + " (" + e.getMessage() + ")");
      }
      if (method.equals("CONNECT")) {
        throw new IllegalArgumentException("method not supported: CONNECT");
      }
      http.method(method, HttpRequest.BodyPublishers.noBody()); // checks the name
      this.method = method;
      if (uri.getScheme().equalsIgnoreCase("http")) {
        http.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on plain connections
      }
    }

    /**
     * Adds a header; a name may be given several times.
     *
     * @param name the header name
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException if the name or value is not valid in HTTP, or the JDK's
     *     client does not let callers set it
     */
    public Builder header(String name, String value) {
      http.header(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds every value of every header in {@code headers} (Twisted's {@code Headers}).
     *
     * @param headers names to values, in order; null adds nothing
     * @return this builder
     * @throws IllegalArgumentException as {@link #header}
     */
    public Builder headers(Map<String, ? extends Collection<String>> headers) {
      if (headers != null) {
        headers.forEach((name, values) -> values.forEach(value -> header(name, value)));
      }
      return this;
    }

    /**
     * Sets the body, sent with a {@code Content-Length}.
     *
     * @param body the bytes, not copied: do not change the array afterwards; null for none
     * @return this builder
     */
    public Builder body(byte[] body) {
      this.body = body;
      return this;
    }

    /**
     * Sets the overall timeout; see {@link Request#timeout()}. When it expires the exchange is
     * aborted (its connection closed) and the Deferred fails with {@link
     * java.net.http.HttpTimeoutException} naming the URL.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * Sets the time allowed to establish the connection; when it expires the Deferred fails with
     * {@link dev.braid.net.ConnectTimeoutError} naming the URL.
     *
     * @param connectTimeout a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * Follows redirects (3xx with a {@code Location}): see {@link Request#followsRedirects()}.
     * Without this call a redirect is an ordinary response (as Twisted's {@code Agent}).
     *
     * @return this builder
     */
    public Builder followRedirects() {
      this.followRedirects = true;
      return this;
    }

    /**
     * Builds the request.
     *
     * @return a new immutable request
     */
    public Request build() {
      return new Request(this);
    }
  }
}
