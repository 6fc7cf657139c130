package dev.braid.poetry.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a fleet's Redis is: {@code redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]}, or {@code
 * rediss://...} for TLS. The port defaults to 6379 and the database to 0; a password not in the URL
 * is taken from {@value #PASSWORD_VARIABLE} when that is set, so it need not appear in a process
 * listing.
 *
 * @param host the host name or address (an IPv6 address without brackets)
 * @param port the port, 1 to 65535
 * @param database the database number, 0 or more
 * @param tls true for {@code rediss://}
 * @param user the user name for Redis 6's ACLs, or null for the default user
 * @param password the password, or null for none
 */
public record RedisEndpoint(
    String host, int port, int database, boolean tls, String user, String password) {
  /** The environment variable a password is taken from when the URL has none. */
  public static final String PASSWORD_VARIABLE = "POETRY_REDIS_PASSWORD";

  /** Redis's port: 6379. */
  public static final int DEFAULT_PORT = 6379;

  /** Checks the fields: a host, a port in range, a database not negative. */
  public RedisEndpoint {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (database < 0) {
      throw new IllegalArgumentException("negative database: " + database);
    }
  }

  /**
   * Reads a URL.
   *
   * @param url e.g. {@code redis://127.0.0.1:6379/2} or {@code rediss://:secret@redis.internal}
   * @param environment the environment, for {@value #PASSWORD_VARIABLE}
   * @return the endpoint
   * @throws IllegalArgumentException if the URL is not a Redis URL; the message is one line, naming
   *     the URL without its password
   */
  public static RedisEndpoint parse(String url, Map<String, String> environment) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(environment, "environment");
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw invalid(url, "not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw invalid(url, "the scheme must be redis:// or rediss://");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid(url, "no host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(url, "a query or fragment is not understood");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    if (port < 1 || port > 65535) {
      throw invalid(url, "the port must be from 1 to 65535");
    }
    int database = 0;
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (!path.isEmpty() && !path.equals("/")) {
      String db = path.substring(1);
      if (!db.matches("\\d{1,5}")) {
        throw invalid(url, "the path must be a database number, e.g. /0");
      }
      database = Integer.parseInt(db);
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info); // redis://PASSWORD@HOST, as Lettuce and redis-cli read it
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
      if (password != null && password.isEmpty()) {
        password = null;
      }
    }
    if (password == null) {
      String fromEnv = environment.get(PASSWORD_VARIABLE);
      if (fromEnv != null && !fromEnv.isEmpty()) {
        password = fromEnv;
      }
    }
    return new RedisEndpoint(host, port, database, scheme.equals("rediss"), user, password);
  }

  /** {@return {@code HOST:PORT}, an IPv6 host in brackets} */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@return the URL without its password, e.g. {@code redis://127.0.0.1:6379/0}} */
  @Override
  public String toString() {
    return (tls ? "rediss://" : "redis://") + address() + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException(
        "invalid Redis URL '"
            + redact(url)
            + "': "
            + why
            + " (expected redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB])");
  }

  /** The URL with whatever sits between {@code //} and {@code @} replaced, so no password shows. */
  static String redact(String url) {
    int start = url.indexOf("//");
    int at = url.indexOf('@', Math.max(start, 0));
    if (start >= 0 && at > start) {
      return url.substring(0, start + 2) + "***" + url.substring(at);
    }
    return url;
  }
}
