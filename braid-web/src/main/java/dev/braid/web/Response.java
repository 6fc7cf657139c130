package dev.braid.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A complete response: status, headers and the whole body, from {@link WebClient#request}. The body
 * can be read as bytes, as text, or as JSON through Jackson, as often as wanted.
 *
 * <pre>{@code
 * client.request(Request.get("https://api.example.com/users"))
 *     .addCallback(response -> response.json(new TypeReference<List<User>>() {}));
 * }</pre>
 *
 * <p>Immutable apart from the body array (see {@link #body()}); safe to hand to other threads.
 */
public final class Response {
  private static final Charset UTF_8 = StandardCharsets.UTF_8;

  private final Request request;
  private final ResponseHead head;
  private final URI uri;
  private final byte[] body;

  Response(Request request, ResponseHead head, URI uri, byte[] body) {
    this.request = Objects.requireNonNull(request, "request");
    this.head = Objects.requireNonNull(head, "head");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.body = Objects.requireNonNull(body, "body");
  }

  /** {@return the request this responds to, as made (before any redirect)} */
  public Request request() {
    return request;
  }

  /** {@return the head: the status line and headers} */
  public ResponseHead head() {
    return head;
  }

  /** {@return the status code, such as 200 or 404} */
  public int status() {
    return head.status();
  }

  /** {@return the headers; names are case-insensitive} */
  public HttpHeaders headers() {
    return head.headers();
  }

  /**
   * {@return the final URL this response came from: the request's, or the last one redirected to}
   */
  public URI uri() {
    return uri;
  }

  /** {@return true if the status is 2xx (200 to 299)} */
  public boolean isSuccess() {
    return head.isSuccess();
  }

  /** {@return the body's bytes, not a copy (do not change them); empty if there was none} */
  public byte[] body() {
    return body;
  }

  /**
   * {@return the charset {@link #text()} decodes the body with: the {@code charset} parameter of
   * {@code Content-Type}, or UTF-8 if there is none or the JDK does not know it}
   */
  public Charset charset() {
    return head.headers().firstValue("Content-Type").map(Response::charsetOf).orElse(UTF_8);
  }

  /** {@return the body decoded as text with {@link #charset()}} Malformed bytes become U+FFFD. */
  public String text() {
    return new String(body, charset());
  }

  /**
   * Decodes the body as JSON into {@code type} with Jackson's default settings (unknown properties
   * are an error). For other settings, use your own mapper on {@link #body()}.
   *
   * @param type the class to bind to, such as a record
   * @param <T> its type
   * @return the decoded value
   * @throws IOException Jackson's {@code JsonProcessingException} if the body is not valid JSON or
   *     does not match {@code type}
   */
  public <T> T json(Class<T> type) throws IOException {
    return Json.MAPPER.readValue(body, Objects.requireNonNull(type, "type"));
  }

  /**
   * Decodes the body as JSON into a generic type, such as {@code new TypeReference<List<User>>()
   * {}}.
   *
   * @param type the type to bind to
   * @param <T> its type
   * @return the decoded value
   * @throws IOException Jackson's {@code JsonProcessingException} if the body is not valid JSON or
   *     does not match {@code type}
   */
  public <T> T json(TypeReference<T> type) throws IOException {
    return Json.MAPPER.readValue(body, Objects.requireNonNull(type, "type"));
  }

  /**
   * Decodes the body as a JSON tree, for bodies without a fixed shape.
   *
   * @return the root node; Jackson's {@code MissingNode} if the body is empty
   * @throws IOException Jackson's {@code JsonProcessingException} if the body is not valid JSON
   */
  public JsonNode jsonNode() throws IOException {
    return Json.MAPPER.readTree(body);
  }

  @Override
  public String toString() {
    return head.statusLine() + " from " + uri + " (" + body.length + " bytes)";
  }

  /** The charset named in a {@code Content-Type} value, or UTF-8. */
  static Charset charsetOf(String contentType) {
    String[] parts = contentType.split(";");
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      int eq = part.indexOf('=');
      if (eq < 0 || !part.substring(0, eq).trim().equalsIgnoreCase("charset")) {
        continue;
      }
      String name = part.substring(eq + 1).trim();
      if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
        name = name.substring(1, name.length() - 1);
      }
      try {
        return Charset.forName(name);
      } catch (IllegalArgumentException unknown) { // illegal or unsupported name
        return UTF_8;
      }
    }
    return UTF_8;
  }
}
