package dev.braid.poetry.redis;

import dev.braid.poetry.PoemCache;
import dev.braid.poetry.PoemCacheProvider;
import dev.braid.reactor.SystemEventPhase;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@code redis://} and {@code rediss://} URLs as a {@link RedisPoemCache}: {@code poetry
 * proxy --cache redis://HOST:PORT[/DB]}. Found by {@link java.util.ServiceLoader}. The cache it
 * opens closes its connections when the reactor shuts down.
 */
public final class RedisPoemCacheProvider implements PoemCacheProvider {
  /** For {@link java.util.ServiceLoader}. */
  public RedisPoemCacheProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss");
  }

  @Override
  public void check(String url, Map<String, String> environment) {
    RedisEndpoint.parse(url, environment);
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
            .build();
    settings.reactor().addSystemEventTrigger(SystemEventPhase.DURING, cache::close);
    return cache;
  }
}
