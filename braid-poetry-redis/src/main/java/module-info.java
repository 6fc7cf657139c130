/**
 * The caching proxy's cache shared by a fleet of proxies on Redis ({@link
 * dev.braid.poetry.redis.RedisPoemCache}), through the Lettuce client, whose results are handed to
 * the reactor thread. Provides the {@code redis://} and {@code rediss://} URLs of {@code poetry
 * proxy --cache}.
 */
module dev.braid.poetry.redis {
  requires transitive dev.braid.poetry;
  requires lettuce.core;
  requires io.netty.common;
  requires org.slf4j;

  exports dev.braid.poetry.redis;

  provides dev.braid.poetry.PoemCacheProvider with
      dev.braid.poetry.redis.RedisPoemCacheProvider;
}
