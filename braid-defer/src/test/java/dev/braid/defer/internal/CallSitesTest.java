package dev.braid.defer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A site is the caller's stack, without the library's frames on top. */
class CallSitesTest {

  /** Stands for a library whose entry points record where they were called from. */
  static final class Library {
    static final CallSites SITES = CallSites.skipping(Library.class);

    static List<StackTraceElement> enter() {
      return deeper();
    }

    private static List<StackTraceElement> deeper() {
      return Inner.site();
    }

    static List<StackTraceElement> throughALambda() {
      Supplier<List<StackTraceElement>> lambda = SITES::here;
      Supplier<List<StackTraceElement>> outer = () -> lambda.get();
      return outer.get();
    }

    static final class Inner {
      static List<StackTraceElement> site() {
        return SITES.here();
      }
    }
  }

  /** Its name begins with the library's, but it is another class. */
  static final class LibraryUser {
    static List<StackTraceElement> use() {
      return Library.enter();
    }
  }

  private static String name(StackTraceElement frame) {
    return frame.getClassName() + "." + frame.getMethodName();
  }

  @Test
  void theFirstFrameIsTheCodeThatCalledIntoTheLibrary() {
    List<StackTraceElement> site = Library.enter();

    assertThat(name(site.get(0)))
        .isEqualTo(
            CallSitesTest.class.getName() + ".theFirstFrameIsTheCodeThatCalledIntoTheLibrary");
  }

  @Test
  void theFramesOfTheLibrarysNestedClassesAndLambdasAreSkippedToo() {
    List<StackTraceElement> site = Library.throughALambda();

    assertThat(name(site.get(0)))
        .isEqualTo(
            CallSitesTest.class.getName()
                + ".theFramesOfTheLibrarysNestedClassesAndLambdasAreSkippedToo");
  }

  @Test
  void aClassWhoseNameOnlyBeginsWithTheLibrarysIsNotSkipped() {
    List<StackTraceElement> site = LibraryUser.use();

    assertThat(name(site.get(0))).isEqualTo(LibraryUser.class.getName() + ".use");
    assertThat(name(site.get(1)))
        .isEqualTo(
            CallSitesTest.class.getName()
                + ".aClassWhoseNameOnlyBeginsWithTheLibrarysIsNotSkipped");
  }

  @Test
  void belowTheSiteTheFramesAreTheThreadsStackAsAThrowableRecordsIt() {
    List<StackTraceElement> site = Library.enter();
    StackTraceElement[] here = new Throwable().getStackTrace();

    // Both start in this method (at different lines); below it they are the same frames.
    assertThat(name(site.get(0))).isEqualTo(name(here[0]));
    int below = Math.min(site.size(), here.length) - 1;
    assertThat(site.subList(1, 1 + below)).isEqualTo(Arrays.asList(here).subList(1, 1 + below));
  }

  @Test
  void theWholeStackBelowTheSiteIsKept() {
    int depth = 300;
    List<StackTraceElement> site = recurse(depth);
    int below = new Throwable().getStackTrace().length - 1;

    assertThat(site).hasSize(depth + 2 + below); // recurse(depth..0), this method, below it
    assertThat(site.subList(0, depth + 1))
        .allSatisfy(frame -> assertThat(frame.getMethodName()).isEqualTo("recurse"));
  }

  private static List<StackTraceElement> recurse(int depth) {
    return depth == 0 ? Library.enter() : recurse(depth - 1);
  }

  @Test
  void theSiteIsWhereItWasRecordedNotWhereItIsRead() {
    List<StackTraceElement> site = recordedHere();

    assertThat(name(site.get(0))).isEqualTo(CallSitesTest.class.getName() + ".recordedHere");
    assertThat(name(site.get(1)))
        .isEqualTo(CallSitesTest.class.getName() + ".theSiteIsWhereItWasRecordedNotWhereItIsRead");
  }

  private static List<StackTraceElement> recordedHere() {
    return Library.enter();
  }

  @Test
  void aSiteReadOnAnotherThreadIsTheRecordingThreads() throws Exception {
    List<StackTraceElement> site = Library.enter();
    List<StackTraceElement> readThere = new ArrayList<>();
    Thread reader = Thread.ofPlatform().start(() -> readThere.addAll(site));
    reader.join();

    assertThat(name(readThere.get(0)))
        .isEqualTo(
            CallSitesTest.class.getName() + ".aSiteReadOnAnotherThreadIsTheRecordingThreads");
    assertThat(readThere).isEqualTo(site);
  }

  @Test
  void aSiteCannotBeModified() {
    List<StackTraceElement> site = Library.enter();

    assertThatThrownBy(() -> site.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> site.add(site.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void skippingNothingStartsAtTheCallerOfHere() {
    List<StackTraceElement> site = CallSites.skipping().here();

    assertThat(name(site.get(0)))
        .isEqualTo(CallSitesTest.class.getName() + ".skippingNothingStartsAtTheCallerOfHere");
  }

  @Test
  void aNullClassIsRefused() {
    assertThatThrownBy(() -> CallSites.skipping(Library.class, null))
        .isInstanceOf(NullPointerException.class);
  }
}
