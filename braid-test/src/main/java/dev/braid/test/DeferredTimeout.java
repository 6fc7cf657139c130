package dev.braid.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How long {@link BraidExtension} waits for the Deferreds handed to {@link AfterTest} (trial's
 * {@code timeout} attribute). On a test method it wins over one on the class; without either the
 * timeout is {@value #DEFAULT_SECONDS} seconds, as in trial.
 *
 * <p>On virtual time the seconds are virtual: the clock is advanced up to the timeout, so a long
 * timeout costs nothing. With a real reactor they are real seconds, and they bound each test or
 * lifecycle method running on the reactor thread together with the Deferreds it handed over. The
 * janitor's look at the reactor and the reactor's shutdown are bounded by the timeout too, but wait
 * at least 10 seconds, so that a short timeout does not turn a slow machine into a failure.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface DeferredTimeout {
  /** Trial's default timeout: 120 seconds. */
  double DEFAULT_SECONDS = 120;

  /** {@return the timeout in seconds, positive} */
  double value();
}
