package dev.braid.defer;

import java.util.Objects;

/**
 * The failure of a {@link DeferredList} made with {@link DeferredList.Option#FIRE_ON_ONE_ERRBACK},
 * and of {@link Deferreds#gatherResults}, when one of its inputs fails: Twisted's {@code
 * defer.FirstError}. It carries the input's {@link Failure} and the input's position.
 *
 * <p>Its cause is the input's exception, so logs show both. Two {@code FirstError}s are equal when
 * they have the same index and the same sub-failure (the same {@link Failure} object); a {@code
 * FirstError} is never equal to an exception of another type. {@link #toString()} is {@code
 * FirstError[#index, subFailure]}, as Twisted's {@code str}.
 */
public final class FirstError extends Exception {
  private static final long serialVersionUID = 1L;

  /** Not serialised: a {@link Failure} is not {@link java.io.Serializable}. */
  private final transient Failure subFailure;

  /** The position of the input that failed first. */
  private final int index;

  /**
   * Creates the exception.
   *
   * @param subFailure the failure of the input that failed first
   * @param index that input's position in the list, from 0
   */
  public FirstError(Failure subFailure, int index) {
    super(
        "FirstError[#" + index + ", " + Objects.requireNonNull(subFailure, "subFailure") + "]",
        subFailure.value());
    this.subFailure = subFailure;
    this.index = index;
  }

  /** {@return the failure of the input that failed first: the same object the input held} */
  public Failure subFailure() {
    return subFailure;
  }

  /**
   * {@return the position of the input that failed first, in the list given to the DeferredList,
   * from 0}
   */
  public int index() {
    return index;
  }

  /**
   * Compares index and sub-failure (Twisted's {@code FirstError.__eq__}).
   *
   * @param other any object
   * @return true for a {@code FirstError} with the same index and the same {@link Failure}
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof FirstError e && e.index == index && e.subFailure == subFailure;
  }

  @Override
  public int hashCode() {
    return 31 * index + System.identityHashCode(subFailure);
  }

  /**
   * {@return the index and the sub-failure, as {@code FirstError[#index, [Failure type: message]]}}
   */
  @Override
  public String toString() {
    return getMessage();
  }
}
