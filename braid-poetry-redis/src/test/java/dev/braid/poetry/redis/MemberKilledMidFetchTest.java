package dev.braid.poetry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Outcome;
import dev.braid.poetry.Poems;
import dev.braid.poetry.redis.testing.RedisServer;
import dev.braid.test.RunningReactor;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The member fetching a poem for the fleet dies (SIGKILL, in a process of its own) in the middle of
 * the fetch: its lease expires, and a member that was waiting takes over and serves its clients.
 */
@Tag("loopback")
class MemberKilledMidFetchTest {
  static final byte[] POEM = Poems.named("single_flight").bytes();
  static final Duration LEASE = Duration.ofSeconds(1);
  static final double SLACK = Double.parseDouble(System.getProperty("braid.test.slack", "5.0"));

  @Test
  void whenTheFetchingMemberIsKilledAnotherTakesOverOnceItsLeaseExpires() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 1, b -> b.lease(LEASE))) {
      Process doomed = startMember(redis.port(), fleet.upstreamPort);
      try {
        int doomedPort = readPort(doomed);
        // The doomed member takes the lease and starts fetching (the upstream holds it).
        CompletableFuture<Outcome<byte[]>> doomedClient =
            fleet.clients.outcomeFuture(
                () ->
                    dev.braid.poetry.PoetryClient.fetch(
                        fleet.clients.reactor(), "127.0.0.1", doomedPort, null));
        fleet.awaitUpstreamConnections(1);
        String key = fleet.member(0).cache().key();
        assertThat(redis.command("EXISTS", key + ":lease")).isEqualTo(":1");
        // The surviving member's client waits on that lease.
        CompletableFuture<Outcome<byte[]>> survivor = fleet.client(0);
        fleet.awaitAsked(0, 1);
        long killed = System.nanoTime();
        doomed.destroyForcibly().waitFor();
        fleet.awaitUpstreamConnections(2);
        double takeover = (System.nanoTime() - killed) / 1e9;
        fleet.release(POEM);
        byte[] poem = RunningReactor.get(survivor).get();
        double served = (System.nanoTime() - killed) / 1e9;
        assertThat(poem).isEqualTo(POEM);
        // The kernel closes a killed process's sockets cleanly, which a poetry client reads as
        // the end of the poem (the protocol's known limit): no byte of it had been sent.
        Outcome<byte[]> doomedOutcome = RunningReactor.get(doomedClient);
        if (doomedOutcome instanceof Outcome.Success<byte[]> s) {
          assertThat(s.value()).as("the killed member's own client got nothing").isEmpty();
        }
        assertThat(redis.command("GET", key)).as("the survivor stored it").startsWith("$");
        // The lease lasted at most LEASE after the kill (its last renewal was at most a third of
        // it before); then a poll (250 ms) took it.
        assertThat(takeover).isLessThan(LEASE.toMillis() / 1000.0 + 0.25 + SLACK);
        System.out.printf(
            Locale.ROOT,
            "MemberKilledMidFetchTest: lease %.1f s: the surviving member took over %.3f s after"
                + " the kill and served its client %.3f s after it (the upstream answering at"
                + " once)%n",
            LEASE.toMillis() / 1000.0,
            takeover,
            served);
      } finally {
        doomed.destroyForcibly().waitFor();
      }
    }
  }

  static Process startMember(int redisPort, int upstreamPort) throws Exception {
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.contains("braid-test-log")) {
        cp.add(e);
      }
    }
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            String.join(File.pathSeparator, cp),
            FleetMemberMain.class.getName(),
            Integer.toString(redisPort),
            Integer.toString(upstreamPort),
            Long.toString(LEASE.toMillis()));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  static int readPort(Process p) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    String first = line.get(60, TimeUnit.SECONDS);
    assertThat(first).as("the member's first line").startsWith("PORT ");
    return Integer.parseInt(first.substring(5).strip());
  }
}
