package dev.braid.poetry.cli;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.net.Reactor;
import dev.braid.poetry.PoetryClientFactory;
import dev.braid.poetry.TransformProxy;
import dev.braid.poetry.Transformer;
import dev.braid.tls.TlsClientOptions;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code poetry get} does, shared with {@code poetry demo}: downloads every poem in parallel,
 * each with its own Deferred (the tutorial's client 6.0), transforms each through a transform
 * server when asked (a callback returning the transform's Deferred), falls back to the original
 * poem when the transform fails, and never fails itself: every address ends as a {@link Result}.
 *
 * <p>Poems are bytes from end to end: what a server sent is printed unchanged, whatever its
 * encoding. Only a transform needs text: a poem that is not UTF-8 is not sent to the transform
 * server (it is printed as it came, with a note), and a transformed poem is printed as UTF-8.
 *
 * <p>Threading: reactor thread only.
 */
final class Downloads {
  private Downloads() {}

  /**
   * Which transform to apply, through which server ({@code trust}: the roots for a {@code tls:}
   * server; null for the JDK's).
   */
  record Xform(String name, Address server, TlsClientOptions trust) {
    Xform(String name, Address server) {
      this(name, server, null);
    }
  }

  /**
   * How one download ended.
   *
   * @param source where the poem came from
   * @param poem the poem's bytes: as received, or the transformed poem in UTF-8 when asked and it
   *     worked; null if the download failed
   * @param bytes the bytes downloaded
   * @param error why the download failed, or null
   * @param note what went wrong with the transform, or null
   */
  record Result(Source source, byte[] poem, long bytes, String error, String note) {
    boolean ok() {
      return poem != null;
    }

    /** The poem as text, for displays that need lines; malformed UTF-8 shows as U+FFFD. */
    String text() {
      return new String(poem, StandardCharsets.UTF_8);
    }
  }

  static Deferred<List<Result>> start(
      Reactor reactor,
      List<Source> sources,
      Xform xform,
      Duration timeout,
      ProgressDisplay progress) {
    return start(
        reactor, sources, xform, timeout, PoetryClientFactory.DEFAULT_MAX_POEM_BYTES, progress);
  }

  static Deferred<List<Result>> start(
      Reactor reactor,
      List<Source> sources,
      Xform xform,
      Duration timeout,
      long maxPoemBytes,
      ProgressDisplay progress) {
    Transformer transformer =
        xform == null
            ? null
            : TransformProxy.create(
                xform.server().dialer(reactor, xform.trust()),
                xform.server().host(),
                xform.server().port());
    List<Deferred<Result>> all = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      all.add(one(reactor, i, sources.get(i), xform, transformer, timeout, maxPoemBytes, progress));
    }
    return Deferreds.gatherResults(all);
  }

  private static Deferred<Result> one(
      Reactor reactor,
      int index,
      Source source,
      Xform xform,
      Transformer transformer,
      Duration timeout,
      long maxPoemBytes,
      ProgressDisplay progress) {
    Deferred<byte[]> download = source.fetch(reactor, n -> progress.update(index, n), maxPoemBytes);
    if (timeout != null) {
      download.addTimeout(timeout, reactor);
    }
    return download.addCallbacksDeferred(
        bytes -> {
          progress.done(index, bytes.length);
          if (transformer == null) {
            return Deferred.succeed(new Result(source, bytes, bytes.length, null, null));
          }
          String poem = utf8(bytes);
          if (poem == null) {
            return Deferred.succeed(
                new Result(
                    source,
                    bytes,
                    bytes.length,
                    null,
                    "not transformed: the poem is not UTF-8 text (transforms work on UTF-8 text"
                        + " only); printing the original poem"));
          }
          Deferred<String> transformed = transformer.xform(xform.name(), poem);
          if (timeout != null) {
            transformed.addTimeout(timeout, reactor);
          }
          return transformed.addCallbacks(
              text ->
                  new Result(
                      source, text.getBytes(StandardCharsets.UTF_8), bytes.length, null, null),
              failure ->
                  new Result(
                      source,
                      bytes,
                      bytes.length,
                      null,
                      "transform '"
                          + xform.name()
                          + "' failed ("
                          + Failures.describeTransform(failure)
                          + "); printing the original poem"));
        },
        failure -> {
          String why = Failures.describe(source.toString(), failure);
          progress.failed(index, why);
          return Deferred.succeed(new Result(source, null, 0, why, null));
        });
  }

  /** The text of {@code bytes} if they are well-formed UTF-8, else null. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Prints the results in order, errors and notes to {@code err} as {@code SOURCE: why}, and the
   * poems' bytes to {@code out} unchanged. With one source, standard output is exactly the poem's
   * bytes, nothing added. With several, each poem is followed by a newline if it does not end with
   * one, and a blank line separates two poems.
   *
   * @return how many downloads failed
   */
  static int print(List<Result> results, PrintStream out, PrintStream err) {
    int failed = 0;
    boolean first = true;
    for (Result r : results) {
      if (r.note() != null) {
        err.println(r.source() + ": " + r.note());
      }
      if (!r.ok()) {
        failed++;
        err.println(r.source() + ": " + r.error());
        continue;
      }
      byte[] poem = r.poem();
      if (results.size() == 1) {
        out.write(poem, 0, poem.length);
        break;
      }
      if (!first) {
        out.write('\n');
      }
      first = false;
      out.write(poem, 0, poem.length);
      if (poem.length == 0 || poem[poem.length - 1] != '\n') {
        out.write('\n');
      }
    }
    out.flush();
    err.flush();
    return failed;
  }
}
