package dev.braid.poetry.redis;

import dev.braid.net.SystemEventPhase;
import dev.braid.poetry.PoemCache;
import dev.braid.poetry.PoemCacheProvider;
import java.io.File;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@code redis://} and {@code rediss://} URLs as a {@link RedisPoemCache}: {@code poetry
 * proxy --cache redis://HOST:PORT[/DB]}. Found by {@link java.util.ServiceLoader}. The cache it
 * opens closes its connections when the reactor shuts down.
 *
 * <p>From the environment: {@value RedisEndpoint#PASSWORD_VARIABLE}, the password when the URL has
 * none, and {@value #CA_VARIABLE}, a PEM file of the certificate authorities a {@code rediss://}
 * server's certificate must chain to (otherwise the JVM's trusted ones).
 */
public final class RedisPoemCacheProvider implements PoemCacheProvider {
  /** The environment variable naming a PEM file of trusted certificate authorities for TLS. */
  public static final String CA_VARIABLE = "POETRY_REDIS_CA";

  /** For {@link java.util.ServiceLoader}. */
  public RedisPoemCacheProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss");
  }

  @Override
  public void check(String url, Map<String, String> environment) {
    RedisEndpoint endpoint = RedisEndpoint.parse(url, environment);
    tlsCa(endpoint, environment);
  }

  private static File tlsCa(RedisEndpoint endpoint, Map<String, String> environment) {
    String ca = environment.get(CA_VARIABLE);
    if (!endpoint.tls() || ca == null || ca.isEmpty()) {
      return null;
    }
    File file = new File(ca);
    if (!file.isFile() || !file.canRead()) {
      throw new IllegalArgumentException(
          CA_VARIABLE + " names '" + ca + "', which is not a readable file (a PEM file expected)");
    }
    return file;
  }

  @Override
  public PoemCache open(String url, Settings settings) {
    RedisEndpoint endpoint = RedisEndpoint.parse(url, settings.environment());
    RedisPoemCache cache =
        RedisPoemCache.builder(
                settings.reactor(), endpoint, settings.upstream(), settings.upstreamName())
            .ttl(settings.ttl())
            .waitLimit(settings.waitLimit())
            .maxCachedSize(settings.maxCachedSize())
            .tlsCa(tlsCa(endpoint, settings.environment()))
            .build();
    settings.reactor().addSystemEventTrigger(SystemEventPhase.DURING, cache::close);
    return cache;
  }
}
