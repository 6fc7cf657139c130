/**
 * The test kit's logging: every event logged through SLF4J or {@link java.lang.System.Logger} goes
 * to the test that is running ({@link dev.braid.test.log.LogCapture}), and a test fails when it
 * logs a warning or an error it did not expect (trial's {@code flushLoggedErrors}). See {@link
 * dev.braid.test.log.LogCaptureExtension}.
 */
module dev.braid.test.log {
  requires transitive org.slf4j;
  requires transitive org.junit.jupiter.api;

  exports dev.braid.test.log;

  provides org.slf4j.spi.SLF4JServiceProvider with
      dev.braid.test.log.RecordingSlf4jProvider;
  provides java.lang.System.LoggerFinder with
      dev.braid.test.log.RecordingLoggerFinder;
  provides org.junit.jupiter.api.extension.Extension with
      dev.braid.test.log.LogCaptureExtension,
      dev.braid.test.log.InvocationOnFailure;
}
