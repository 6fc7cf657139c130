package dev.braid.defer;

/** Distinct exception types for tests: the conformance scenarios' GenericError, E1 and E2. */
final class TestErrors {
  private TestErrors() {}

  static final class GenericError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GenericError(String message) {
      super(message);
    }

    GenericError() {
      this("generic error");
    }
  }

  static final class E1 extends RuntimeException {
    private static final long serialVersionUID = 1L;

    E1() {
      super("E1");
    }
  }

  static final class E2 extends RuntimeException {
    private static final long serialVersionUID = 1L;

    E2() {
      super("E2");
    }
  }
}
