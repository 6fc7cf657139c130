package dev.braid.defer;

import static dev.braid.defer.DebugThreads.inDebugMode;
import static dev.braid.defer.DebugThreads.outsideDebugMode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.TestErrors.GenericError;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chain pictures: as text and as Graphviz DOT, in and outside debug mode. */
class ChainPictureTest {
  private static final String SITE = "dev\\.braid\\.defer\\.ChainPictureTest\\.";

  @Test
  void eachStepSaysWhichSideOfItsPairRanAndWhatItPassedAlong() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();
          d.addCallback(s -> s.toUpperCase())
              .addCallback(
                  s -> {
                    throw new GenericError("no " + s);
                  })
              .addCallbacks(s -> "unused", f -> "recovered");
          d.callback("poem");

          String picture = ChainPicture.text(d);

          assertThat(picture)
              .startsWith(ChainPicture.name(d) + ": done, current result 'recovered'\n")
              .containsPattern("fired with 'poem' at " + SITE)
              .containsPattern("\\n  1\\. callback added at " + SITE + ".*: ran, 'poem' -> 'POEM'")
              .containsPattern(
                  "\\n  2\\. callback added at "
                      + SITE
                      + ".*: ran, 'POEM' -> Failure\\(GenericError: no POEM\\)")
              .containsPattern(
                  "\\n  3\\. callback/errback added at "
                      + SITE
                      + ".*: errback ran, Failure\\(GenericError: no POEM\\) -> 'recovered'");
        });
  }

  @Test
  void aPairWithNothingOnTheResultsSidePassesItOver() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.succeed("poem").addErrback(f -> "unused");

          assertThat(ChainPicture.text(d))
              .containsPattern("\\n  1\\. errback added at " + SITE + ".*: passed over 'poem'");
        });
  }

  @Test
  void stepsStillToRunFollowThoseThatRanInOrder() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> inner = Deferred.create();
          Deferred<String> d = Deferred.create();
          d.addCallback(s -> s + "!").addCallbackDeferred(s -> inner).addErrback(f -> "x");
          d.callback("a");

          String picture = ChainPicture.text(d);

          assertThat(picture)
              .startsWith(ChainPicture.name(d) + ": waiting on " + ChainPicture.name(inner))
              .containsPattern("\\n  1\\. callback added at .*: ran, 'a' -> 'a!'")
              .containsPattern(
                  "\\n  2\\. callback added at .*: ran, 'a!' -> "
                      + ChainPicture.name(inner)
                      + "\\n")
              .containsPattern("\\n     " + ChainPicture.name(inner) + ": no result yet\\n")
              .contains("\n       1. resume " + ChainPicture.name(d) + ": not run yet")
              .containsPattern("\\n  3\\. errback added at .*: not run yet");
          inner.callback("b");
          assertThat(ChainPicture.text(d))
              .contains(
                  "-> "
                      + ChainPicture.name(inner)
                      + ", which fired with 'b'\n  3. errback added at ")
              .contains(": passed over 'b'");
        });
  }

  @Test
  void aDeferredToBeFiredByChainDeferredIsDrawnWithTheOneThatWillFireIt() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> source = Deferred.create();
          Deferred<String> target = Deferred.create();
          source.chainDeferred(target);

          assertThat(ChainPicture.text(target))
              .startsWith(
                  ChainPicture.name(target)
                      + ": to be fired by "
                      + ChainPicture.name(source)
                      + " (chainDeferred)")
              .containsPattern(
                  "\\n    1\\. chainDeferred added at .*: will fire " + ChainPicture.name(target));
          source.callback("x");
          assertThat(ChainPicture.text(source))
              .containsPattern(
                  "1\\. chainDeferred added at .*: fired "
                      + ChainPicture.name(target)
                      + " with 'x'");
        });
  }

  @Test
  void theMethodThatAddedAStepIsNamedWhenItIsNotTheUsualOne() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();
          d.addFinally(outcome -> {}).addTimeout(Duration.ofSeconds(1), VirtualClock.create());

          assertThat(ChainPicture.text(d))
              .containsPattern("1\\. callback/errback \\(addFinally\\) added at " + SITE)
              .containsPattern("2\\. callback/errback \\(addTimeout\\) added at " + SITE);
          d.callback("x");
        });
  }

  @Test
  void aStepAddedByACombinatorNamesTheCombinatorAndTheUsersLine() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> input = Deferred.create();
          var list = DeferredList.of(List.of(input));

          assertThat(ChainPicture.text(input))
              .containsPattern(
                  "1\\. callback/errback \\(addRawBoth\\) added at dev\\.braid\\.defer\\"
                      + ".DeferredList\\..*\\(DeferredList\\.java:\\d+\\) from "
                      + SITE);
          input.callback("x");
          assertThat(list.deferred().isCalled()).isTrue();
        });
  }

  @Test
  void outsideDebugModeThePictureShowsTheStateAndTheStepsToRunWithoutSites() throws Exception {
    outsideDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();
          d.addCallback(s -> s).addErrback(f -> "x");

          assertThat(ChainPicture.text(d))
              .isEqualTo(
                  ChainPicture.name(d)
                      + ": no result yet\n"
                      + "  1. callback: not run yet\n"
                      + "  2. errback: not run yet");
          d.callback("x");
        });
  }

  @Test
  void onlyTheLastStepsAreKept() throws Exception {
    inDebugMode(
        () -> {
          Deferred<Integer> d = Deferred.succeed(0);
          for (int i = 0; i < DebugInfo.MAX_STEPS + 8; i++) {
            d = d.addCallback(x -> x + 1);
          }

          String picture = ChainPicture.text(d);

          assertThat(picture)
              .contains("(8 earlier steps not kept)")
              .contains("\n  9. callback added at ")
              .contains("\n  40. callback added at ")
              .doesNotContain("\n  8. ");
        });
  }

  @Test
  void aSlowStepSaysHowLongItTook() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d =
              Deferred.succeed("x")
                  .addCallback(
                      s -> {
                        Thread.sleep(3); // at least 3 ms: the duration is what is checked
                        return s;
                      });

          assertThat(ChainPicture.text(d))
              .containsPattern("ran, 'x' -> 'x' \\(took \\d+\\.\\d ms\\)");
        });
  }

  @Test
  void nestingStopsAtTheMaximumDepth() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> innermost = Deferred.create();
          Deferred<String> d = innermost;
          for (int i = 0; i < ChainPicture.MAX_DEPTH + 5; i++) {
            Deferred<String> inner = d;
            d = Deferred.succeed("x").addCallbackDeferred(x -> inner);
          }

          assertThat(ChainPicture.text(d)).contains("(deeper Deferreds not drawn)");
          innermost.callback("y");
          assertThat(d.isPending()).isFalse();
        });
  }

  @Test
  void valuesAreDescribedBrieflyWithoutCallingToStringOnCollections() {
    List<String> throwing =
        new AbstractList<>() {
          @Override
          public String get(int index) {
            return "e";
          }

          @Override
          public int size() {
            return 3;
          }

          @Override
          public String toString() {
            throw new IllegalStateException("never called");
          }
        };
    Object badToString =
        new Object() {
          @Override
          public String toString() {
            throw new IllegalStateException("broken");
          }
        };

    assertThat(ChainPicture.describeValue(null)).isEqualTo("null");
    assertThat(ChainPicture.describeValue("a\nb")).isEqualTo("'a\\nb'");
    assertThat(ChainPicture.describeValue("x".repeat(100)))
        .isEqualTo("'" + "x".repeat(40) + "...'");
    assertThat(ChainPicture.describeValue(new byte[1424])).isEqualTo("byte[1424]");
    assertThat(ChainPicture.describeValue(throwing)).endsWith("(3 elements)");
    assertThat(ChainPicture.describeValue(new ArrayList<>(List.of(1, 2))))
        .isEqualTo("ArrayList(2 elements)");
    assertThat(ChainPicture.describeValue(Failure.of(new GenericError("oops"))))
        .isEqualTo("Failure(GenericError: oops)");
    assertThat(ChainPicture.describeValue(badToString))
        .contains("(toString() threw IllegalStateException)");
    assertThat(ChainPicture.describeValue(42)).isEqualTo("42");
  }

  @Test
  void inDebugModeToStringNamesWhereTheDeferredWasCreated() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();

          assertThat(d.toString())
              .matches(
                  "Deferred@[0-9a-f]+\\{no result; created at "
                      + SITE
                      + ".*\\(ChainPictureTest\\.java:\\d+\\)\\}");
          d.callback("x");
        });
  }

  @Test
  void anUnhandledFailureInDebugModeCarriesThePictureOfItsChain() throws Exception {
    inDebugMode(
        () -> {
          long mark = UnhandledFailures.mark();
          Deferred<Integer> d = Deferred.create();
          d.addCallback(
              x -> {
                throw new GenericError("boom");
              });
          d.callback(1);

          UnhandledFailures.UnhandledFailure report = UnhandledFailures.pendingSince(mark).get(0);

          assertThat(report.failure().chainPicture())
              .startsWith(
                  ChainPicture.name(d) + ": done, current result Failure(GenericError: boom)")
              .contains(": ran, 1 -> Failure(GenericError: boom)");
          assertThat(report.describe())
              .contains("Chain of the Deferred that left it unhandled:\n\t" + ChainPicture.name(d));
          d.addErrback(f -> null);
          assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
        });
  }

  @Test
  void outsideDebugModeAFailureHasNoPicture() throws Exception {
    outsideDebugMode(
        () -> {
          Deferred<Integer> d = Deferred.fail(new GenericError("boom"));
          Failure failure = DeferredResults.failureResultOf(d);
          assertThat(failure.chainPicture()).isEmpty();
          assertThat(failure.getTraceback()).doesNotContain("Chain of the Deferred");
        });
  }

  @Test
  void theDotIsOneDigraphWithATablePerDeferredAndAnArrowFromTheStepToTheInner() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> inner = Deferred.create();
          Deferred<String> d = Deferred.create();
          d.addCallback(s -> s.toUpperCase())
              .addErrback(f -> "unused")
              .addCallbackDeferred(s -> inner)
              .addCallback(s -> s);
          d.callback("a");

          String dot = ChainPicture.dot(d);

          assertThat(dot).startsWith("digraph deferreds {\n").endsWith("}\n");
          assertThat(dot.chars().filter(c -> c == '{').count())
              .isEqualTo(dot.chars().filter(c -> c == '}').count());
          assertThat(dot.lines().filter(l -> l.contains("[label=<<TABLE"))).hasSize(2);
          assertThat(dot)
              .contains("d0 [label=<<TABLE")
              .contains("d1 [label=<<TABLE")
              .contains("<B>" + ChainPicture.name(d) + "</B><BR/>waiting on ")
              .contains("BGCOLOR=\"#b6e3b6\">callback<BR/>")
              .contains("passed over 'A'")
              .contains("'a' -&gt; 'A'")
              .contains("d0:r2 -> d1 [label=\"returned, waiting\"];")
              .contains("d1:r0 -> d0 [style=dashed, label=\"resumes\"];")
              .contains("not run yet");
          inner.callback("b");
        });
  }

  @Test
  void theDotColoursAnErrbackThatRanRed() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d =
              Deferred.<String>fail(new GenericError("x")).addErrback(f -> "recovered");
          assertThat(ChainPicture.dot(d)).contains("BGCOLOR=\"#f4b6b6\">errback<BR/>");
        });
  }
}
