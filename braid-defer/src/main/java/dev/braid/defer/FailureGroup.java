package dev.braid.defer;

import java.util.List;

/**
 * The failure of {@link Deferreds#race} when every input failed: Twisted's {@code FailureGroup}. It
 * holds the inputs' failures in input order; their exceptions are also attached as {@linkplain
 * Throwable#getSuppressed() suppressed exceptions}, so a logged stack trace shows each of them.
 */
public final class FailureGroup extends Exception {
  private static final long serialVersionUID = 1L;

  /** Not serialised: a {@link Failure} is not {@link java.io.Serializable}. */
  private final transient List<Failure> failures;

  /**
   * Creates the exception.
   *
   * @param failures the failures, in the order of the inputs they came from
   */
  public FailureGroup(List<Failure> failures) {
    super("all " + failures.size() + " Deferreds failed: " + failures);
    this.failures = List.copyOf(failures);
    for (Failure failure : this.failures) {
      if (failure.value() != this) {
        addSuppressed(failure.value());
      }
    }
  }

  /** {@return the inputs' failures, in input order, in an unmodifiable list} */
  public List<Failure> failures() {
    return failures;
  }
}
