package dev.braid.poetry.redis;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.PendingDeferreds;
import dev.braid.net.ReactorThreads;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's link to Redis: a Lettuce client with a command connection and a pub/sub connection,
 * every result handed to the reactor thread as a Deferred. Knows whether Redis is reachable, logs
 * once per change (lost, back), and while it is not, fails every command at once, without a round
 * trip, and probes Redis until it answers again. Lettuce reconnects the connections by itself; the
 * probe also makes the first connection when Redis was not there at the start.
 *
 * <p>Threading: reactor thread only, but for the Lettuce threads' hand-overs.
 */
final class RedisLink {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPoemCache.class);

  private static final String CLAIM =
      "local v = redis.call('GET', KEYS[1])"
          + " if v and string.sub(v, 1, 4) == 'BP1\\n' then"
          + " return {1, v, redis.call('PTTL', KEYS[1])} end"
          + " local h = redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2], 'GET')"
          + " if h then return {2, h} end return {3}";
  private static final String RENEW =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then"
          + " return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end"
          + " redis.call('PUBLISH', ARGV[2], ARGV[3]) return 1";
  private static final String STORE =
      "local r = redis.pcall('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])"
          + " local stored = type(r) == 'table' and r['ok'] == 'OK'"
          + " if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end"
          + " if stored then redis.call('PUBLISH', ARGV[4], 'stored ' .. ARGV[3]) return 'stored' end"
          + " redis.call('PUBLISH', ARGV[4], 'unshared ' .. ARGV[3])"
          + " if type(r) == 'table' and r['err'] then return r['err'] end return tostring(r)";

  enum State {
    CONNECTING,
    UP,
    DOWN,
    CLOSED
  }

  /** What GET and PTTL of one key said: the value (null if none) and its time to live. */
  record Lookup(byte[] value, long pttlMillis) {}

  /** Redis is known to be unreachable: the command was not sent. */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message, null, false, false);
    }
  }

  private final Clock time;
  private final ReactorThreads threads;
  private final RedisEndpoint endpoint;
  private final Duration probeInterval;
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final byte[] channel;
  private final Consumer<String> onMessage;
  private StatefulRedisConnection<byte[], byte[]> connection;
  private StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private boolean connecting;
  private State state = State.CONNECTING;
  private DelayedCall probe;
  private boolean probing;
  private Deferred<Void> closed;
  private final List<Deferred<Void>> upWaiters = new ArrayList<>();
  private final List<Deferred<Void>> downWaiters = new ArrayList<>();

  <R extends Clock & ReactorThreads> RedisLink(
      R reactor,
      RedisEndpoint endpoint,
      File tlsCa,
      Duration timeout,
      Duration probeInterval,
      String channel,
      Consumer<String> onMessage) {
    this.time = reactor;
    this.threads = reactor;
    this.endpoint = endpoint;
    this.probeInterval = probeInterval;
    this.channel = channel.getBytes(StandardCharsets.UTF_8);
    this.onMessage = onMessage;
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(2) // Lettuce's least
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(Duration.ofMillis(20), probeInterval, 2, TimeUnit.MILLISECONDS))
            .build();
    RedisURI.Builder b =
        RedisURI.builder()
            .withHost(endpoint.host())
            .withPort(endpoint.port())
            .withDatabase(endpoint.database())
            .withSsl(endpoint.tls())
            .withTimeout(connectTimeout(timeout));
    if (endpoint.password() != null) {
      if (endpoint.user() != null) {
        b.withAuthentication(endpoint.user(), endpoint.password());
      } else {
        b.withPassword(endpoint.password().toCharArray());
      }
    }
    this.uri = b.build();
    this.client = RedisClient.create(resources, uri);
    ClientOptions.Builder options =
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(connectTimeout(timeout))
                    .keepAlive(true)
                    .build());
    if (tlsCa != null) {
      options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(tlsCa).build());
    }
    client.setOptions(options.build());
  }

  /**
   * How long a connection may take to be made: longer than a command, since no client waits on it
   * (the cache serves on its own meanwhile) and a cold JVM's first one is slow.
   */
  private static Duration connectTimeout(Duration commandTimeout) {
    Duration least = Duration.ofSeconds(5);
    return commandTimeout.compareTo(least) > 0 ? commandTimeout : least;
  }

  /** Starts connecting; the state is CONNECTING until both connections are made. */
  void start() {
    connect();
  }

  State state() {
    return state;
  }

  boolean isUp() {
    return state == State.UP;
  }

  /** {@return a Deferred that fires when Redis is next found reachable (at once if it is)} */
  Deferred<Void> whenUp() {
    return when(State.UP, upWaiters);
  }

  /** {@return a Deferred that fires when Redis is next found unreachable (at once if it is)} */
  Deferred<Void> whenDown() {
    return when(State.DOWN, downWaiters);
  }

  private Deferred<Void> when(State s, List<Deferred<Void>> waiters) {
    Deferred<Void> d = Deferred.create(x -> waiters.remove(x));
    if (state == s) {
      d.callback(null);
    } else {
      waiters.add(d);
    }
    return d;
  }

  private void entered(State s) {
    state = s;
    List<Deferred<Void>> waiters = s == State.UP ? upWaiters : downWaiters;
    List<Deferred<Void>> fire = List.copyOf(waiters);
    waiters.clear();
    fire.forEach(d -> d.callback(null));
  }

  RedisEndpoint endpoint() {
    return endpoint;
  }

  /** GET and PTTL of {@code key}, sent together. */
  Deferred<Lookup> lookUp(byte[] key) {
    if (state != State.UP || connection == null) {
      return unreachable();
    }
    var async = connection.async();
    CompletionStage<byte[]> get = async.get(key);
    CompletionStage<Long> pttl = async.pttl(key);
    return call("GET and PTTL of", key, get.thenCombine(pttl, Lookup::new));
  }

  /**
   * What {@link #claim} found: the poem stored meanwhile ({@code value} and its {@code
   * pttlMillis}), the lease held by another member ({@code holder}), or the lease taken by this one
   * (neither).
   */
  record Claim(byte[] value, long pttlMillis, String holder) {}

  /**
   * Looks for the poem once more and, if it is still missing, takes the lease {@code leaseKey} for
   * {@code millis} unless another member holds it: one script, so that a poem stored between a
   * member's miss and its claim is found rather than fetched again.
   */
  Deferred<Claim> claim(byte[] key, byte[] leaseKey, String token, long millis) {
    if (state != State.UP || connection == null) {
      return unreachable();
    }
    CompletionStage<List<Object>> r =
        connection
            .async()
            .eval(
                CLAIM,
                ScriptOutputType.MULTI,
                new byte[][] {key, leaseKey},
                utf8(token),
                utf8(Long.toString(millis)));
    return call(
        "the claim of",
        leaseKey,
        r.thenApply(
            reply -> {
              long kind = (Long) reply.get(0);
              if (kind == 1) {
                return new Claim((byte[]) reply.get(1), (Long) reply.get(2), null);
              }
              if (kind == 2) {
                return new Claim(
                    null, 0, new String((byte[]) reply.get(1), StandardCharsets.UTF_8));
              }
              return new Claim(null, 0, null);
            }));
  }

  /** Extends the lease if this member still holds it; a Deferred of whether it did. */
  Deferred<Boolean> renew(byte[] leaseKey, String token, long millis) {
    if (state != State.UP || connection == null) {
      return unreachable();
    }
    CompletionStage<Long> r =
        connection
            .async()
            .eval(
                RENEW,
                ScriptOutputType.INTEGER,
                new byte[][] {leaseKey},
                utf8(token),
                utf8(Long.toString(millis)));
    return call("the renewal of", leaseKey, r.thenApply(n -> n != null && n == 1L));
  }

  /** Gives the lease up if this member holds it, and publishes {@code message}. */
  Deferred<Void> release(byte[] leaseKey, String token, String message) {
    if (state != State.UP || connection == null) {
      return unreachable();
    }
    CompletionStage<Long> r =
        connection
            .async()
            .eval(
                RELEASE,
                ScriptOutputType.INTEGER,
                new byte[][] {leaseKey},
                utf8(token),
                channel,
                utf8(message));
    return call("the release of", leaseKey, r.thenApply(n -> null));
  }

  /**
   * Stores {@code value} under {@code key} for {@code ttlMillis}, gives the lease up and publishes
   * {@code stored TOKEN}; if Redis refuses the value (out of memory), gives the lease up and
   * publishes {@code unshared TOKEN} instead.
   *
   * @return a Deferred of null when stored, or of Redis's reason for not storing it
   */
  Deferred<String> store(byte[] key, byte[] leaseKey, byte[] value, long ttlMillis, String token) {
    if (state != State.UP || connection == null) {
      return unreachable();
    }
    CompletionStage<byte[]> r =
        connection
            .async()
            .eval(
                STORE,
                ScriptOutputType.VALUE,
                new byte[][] {key, leaseKey},
                value,
                utf8(Long.toString(ttlMillis)),
                utf8(token),
                channel);
    return call(
        "storing",
        key,
        r.thenApply(
            v -> {
              String s = v == null ? "no reply" : new String(v, StandardCharsets.UTF_8);
              return s.equals("stored") ? null : s;
            }));
  }

  /**
   * Closes both connections and stops the client's threads.
   *
   * @return a Deferred that fires on the reactor thread once they have stopped
   */
  Deferred<Void> close() {
    if (closed != null) {
      return closed;
    }
    state = State.CLOSED;
    if (probe != null && probe.active()) {
      probe.cancel();
    }
    CompletableFuture<Void> done =
        client
            .shutdownAsync(0, 2, TimeUnit.SECONDS)
            .handle((v, e) -> null)
            .thenCompose(
                v -> {
                  CompletableFuture<Void> f = new CompletableFuture<>();
                  resources.shutdown(0, 2, TimeUnit.SECONDS).addListener(x -> f.complete(null));
                  return f;
                });
    closed = Deferred.fromFuture(done, threads::callFromThread);
    return closed;
  }

  // ---------------------------------------------------------------------------------------------

  private void connect() {
    if (connecting || state == State.CLOSED) {
      return;
    }
    connecting = true;
    CompletionStage<StatefulRedisConnection<byte[], byte[]>> c =
        connection != null
            ? CompletableFuture.completedFuture(connection)
            : client.connectAsync(ByteArrayCodec.INSTANCE, uri);
    CompletionStage<StatefulRedisPubSubConnection<byte[], byte[]>> p =
        pubsub != null ? CompletableFuture.completedFuture(pubsub) : subscribe();
    // Keep whichever connection was made, even if the other failed.
    c.whenComplete((conn, e) -> threads.callFromThread(() -> keep(conn)));
    p.whenComplete((ps, e) -> threads.callFromThread(() -> keep(ps)));
    Deferred.fromFuture(c.thenCombine(p, Connections::new), threads::callFromThread)
        .addCallbacks(
            both -> {
              connecting = false;
              keep(both.commands());
              keep(both.pubsub());
              if (state == State.CLOSED) {
                return null;
              }
              if (state == State.CONNECTING) {
                LOG.info("Sharing the cache through Redis at {}.", endpoint);
                entered(State.UP);
              } else {
                up();
              }
              return null;
            },
            f -> {
              connecting = false;
              down(f.value());
              return null;
            });
  }

  /** Both connections, once made. */
  private record Connections(
      StatefulRedisConnection<byte[], byte[]> commands,
      StatefulRedisPubSubConnection<byte[], byte[]> pubsub) {}

  /** Keeps a connection that was made (the other may have failed); runs on the reactor thread. */
  private void keep(Object made) {
    if (made == null || made == connection || made == pubsub) {
      return;
    }
    if (state == State.CLOSED) {
      ((io.lettuce.core.api.StatefulConnection<?, ?>) made).closeAsync();
      return;
    }
    if (made instanceof StatefulRedisPubSubConnection<?, ?>) {
      @SuppressWarnings("unchecked")
      var ps = (StatefulRedisPubSubConnection<byte[], byte[]>) made;
      pubsub = ps;
    } else {
      @SuppressWarnings("unchecked")
      var conn = (StatefulRedisConnection<byte[], byte[]>) made;
      connection = conn;
    }
  }

  private CompletionStage<StatefulRedisPubSubConnection<byte[], byte[]>> subscribe() {
    return client
        .connectPubSubAsync(ByteArrayCodec.INSTANCE, uri)
        .thenCompose(
            ps -> {
              ps.addListener(
                  new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] from, byte[] message) {
                      String text = new String(message, StandardCharsets.UTF_8);
                      threads.callFromThread(
                          () -> {
                            if (state != State.CLOSED) {
                              onMessage.accept(text);
                            }
                          });
                    }
                  });
              return ps.async()
                  .subscribe(channel)
                  .thenApply(v -> ps)
                  .whenComplete(
                      (v, e) -> {
                        if (e != null) {
                          ps.closeAsync();
                        }
                      });
            });
  }

  private static String text(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }

  /** Sends nothing: Redis is known to be unreachable. */
  private <T> Deferred<T> unreachable() {
    return Deferred.fail(
        new Unreachable(
            state == State.CLOSED ? "the link to Redis is closed" : "Redis is unreachable"));
  }

  /**
   * Hands a Lettuce result to the reactor thread; a failure other than Redis's reply is a loss.
   * {@code what} and {@code key} name the command for debug mode's pending dumps.
   */
  private <T> Deferred<T> call(String what, byte[] key, CompletionStage<T> stage) {
    Deferred<T> d = Deferred.fromFuture(stage, threads::callFromThread);
    if (Deferred.isDebugging()) {
      PendingDeferreds.noteWaitingOn(d, "Redis at " + endpoint + ": " + what + " " + text(key));
    }
    d.addErrback(
        f -> {
          if (!(f.value() instanceof RedisCommandExecutionException)
              && !(f.value() instanceof java.util.concurrent.CancellationException)) {
            down(f.value());
          }
          return f.raiseException();
        });
    return d;
  }

  private void down(Throwable why) {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.UP) {
      LOG.warn(
          "Lost Redis at {} ({}); each proxy serves from its own memory and fetches on its own"
              + " until Redis is back.",
          endpoint,
          describe(why));
    } else if (state == State.CONNECTING) {
      LOG.warn(
          "Cannot reach Redis at {} ({}); serving from this proxy's memory and fetching on its own"
              + " until Redis answers.",
          endpoint,
          describe(why));
    }
    if (state != State.DOWN) {
      entered(State.DOWN);
    }
    scheduleProbe();
  }

  private void up() {
    if (state != State.DOWN) {
      return;
    }
    LOG.info("Redis at {} is back; sharing the cache again.", endpoint);
    entered(State.UP);
  }

  private void scheduleProbe() {
    if (probe == null || !probe.active()) {
      probe = time.callLater(Clock.toSeconds(probeInterval), this::probe);
    }
  }

  private void probe() {
    if (state != State.DOWN) {
      return;
    }
    if (connection == null || pubsub == null) {
      connect();
      if (state == State.DOWN) {
        scheduleProbe();
      }
      return;
    }
    if (probing) {
      scheduleProbe();
      return;
    }
    probing = true;
    Deferred.fromFuture(connection.async().ping(), threads::callFromThread)
        .addCallbacks(
            pong -> {
              probing = false;
              up();
              return null;
            },
            f -> {
              probing = false;
              scheduleProbe();
              return null;
            });
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return m.replaceAll("\\s+", " ").strip();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
