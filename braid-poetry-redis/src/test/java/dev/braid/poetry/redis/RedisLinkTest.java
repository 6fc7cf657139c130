package dev.braid.poetry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.poetry.Poems;
import dev.braid.poetry.redis.testing.RedisServer;
import dev.braid.test.RunningReactor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The link's scripts against a real redis-server: claim, renew, release, store. */
@Tag("loopback")
class RedisLinkTest {
  static final byte[] POEM = Poems.named("deferred").bytes();
  static final byte[] KEY = "braid:poetry:test:1".getBytes(StandardCharsets.UTF_8);
  static final byte[] LEASE = "braid:poetry:test:1:lease".getBytes(StandardCharsets.UTF_8);

  @Test
  void aClaimTakesAFreeLeaseNamesTheHolderOfATakenOneAndFindsAPoemStoredMeanwhile()
      throws Exception {
    try (RedisServer redis = RedisServer.start();
        RunningReactor r = RunningReactor.start()) {
      Messages messages = new Messages();
      RedisLink link = open(r, redis, messages);
      try {
        RedisLink.Claim taken = r.await(() -> link.claim(KEY, LEASE, "a:1", 10_000));
        assertThat(taken.value()).isNull();
        assertThat(taken.holder()).isNull();
        assertThat(redis.command("GET", "braid:poetry:test:1:lease")).isEqualTo("$3\na:1");
        RedisLink.Claim held = r.await(() -> link.claim(KEY, LEASE, "b:1", 10_000));
        assertThat(held.holder()).isEqualTo("a:1");
        // Another program's value under the key is not a poem: the claim goes on to the lease.
        assertThat(redis.command("SET", "braid:poetry:test:1", "not a poem")).isEqualTo("+OK");
        assertThat(r.await(() -> link.claim(KEY, LEASE, "b:2", 10_000)).holder()).isEqualTo("a:1");
        // The holder stores the poem: the lease is gone, and the next claim finds the poem.
        assertThat(r.await(() -> link.store(KEY, LEASE, SharedValue.encode(POEM), 60_000, "a:1")))
            .isNull();
        assertThat(redis.command("EXISTS", "braid:poetry:test:1:lease")).isEqualTo(":0");
        RedisLink.Claim found = r.await(() -> link.claim(KEY, LEASE, "b:3", 10_000));
        assertThat(SharedValue.decode(found.value())).isEqualTo(POEM);
        assertThat(found.pttlMillis()).isBetween(1L, 60_000L);
        assertThat(redis.command("EXISTS", "braid:poetry:test:1:lease"))
            .as("no lease taken when the poem is there")
            .isEqualTo(":0");
      } finally {
        r.await(link::close);
      }
    }
  }

  @Test
  void onlyTheHolderRenewsOrReleasesItsLeaseAndEveryReleaseIsPublished() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RunningReactor r = RunningReactor.start()) {
      Messages messages = new Messages();
      RedisLink link = open(r, redis, messages);
      try {
        r.await(() -> link.claim(KEY, LEASE, "a:1", 1_000));
        assertThat(r.await(() -> link.renew(LEASE, "b:1", 60_000))).isFalse();
        assertThat(r.await(() -> link.renew(LEASE, "a:1", 60_000))).isTrue();
        assertThat(redis.command("PTTL", "braid:poetry:test:1:lease")).matches(":[1-6]\\d{4}");
        r.await(() -> link.release(LEASE, "b:1", "abandoned b:1"));
        assertThat(redis.command("EXISTS", "braid:poetry:test:1:lease")).isEqualTo(":1");
        r.await(() -> link.release(LEASE, "a:1", "failed a:1 connection lost"));
        assertThat(redis.command("EXISTS", "braid:poetry:test:1:lease")).isEqualTo(":0");
        // Both published, to the link's own subscription among others.
        r.await(() -> messages.whenCount(2));
        assertThat(r.call(() -> List.copyOf(messages.received)))
            .containsExactly("abandoned b:1", "failed a:1 connection lost");
      } finally {
        r.await(link::close);
      }
    }
  }

  /** The messages a link hands over, and a Deferred for when enough have come. Reactor thread. */
  static final class Messages {
    final List<String> received = new ArrayList<>();
    private final List<Deferred<Void>> waiters = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();

    void add(String message) {
      received.add(message);
      for (int i = waiters.size() - 1; i >= 0; i--) {
        if (received.size() >= counts.get(i)) {
          counts.remove(i);
          waiters.remove(i).callback(null);
        }
      }
    }

    Deferred<Void> whenCount(int n) {
      Deferred<Void> d = Deferred.create();
      if (received.size() >= n) {
        d.callback(null);
      } else {
        waiters.add(d);
        counts.add(n);
      }
      return d;
    }
  }

  static RedisLink open(RunningReactor r, RedisServer redis, Messages messages) {
    RedisLink link =
        r.call(
            () ->
                new RedisLink(
                    r.reactor(),
                    redis.endpoint(),
                    null,
                    Duration.ofSeconds(1),
                    Duration.ofMillis(500),
                    "braid:poetry:test:1:events",
                    messages::add));
    r.run(link::start);
    r.await(link::whenUp);
    return link;
  }
}
