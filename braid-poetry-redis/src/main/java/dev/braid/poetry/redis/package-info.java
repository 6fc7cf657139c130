/**
 * A fleet of caching proxies sharing one cache on Redis: {@link
 * dev.braid.poetry.redis.RedisPoemCache}, a {@link dev.braid.poetry.PoemCache} that fetches each
 * poem once for the whole fleet (a lease in Redis, renewed by the member that fetches, and a
 * notification when the poem is stored), and keeps serving from each member's memory while Redis is
 * unreachable. {@link dev.braid.poetry.redis.RedisEndpoint} reads the {@code redis://} URLs.
 *
 * <p>Threading: reactor thread only. The Lettuce client runs on threads of its own; every result
 * and notification is handed to the reactor thread before anything here sees it.
 */
package dev.braid.poetry.redis;
