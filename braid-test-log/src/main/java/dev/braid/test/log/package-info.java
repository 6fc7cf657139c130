/**
 * Log capture for tests: a passing build prints no warnings or stack traces, and a test that
 * provokes one says so.
 *
 * <ul>
 *   <li>{@link dev.braid.test.log.RecordingSlf4jProvider} (an SLF4J provider) and {@link
 *       dev.braid.test.log.RecordingLoggerFinder} (the JDK's {@code System.LoggerFinder}, which
 *       {@code braid-defer} logs through) hand every event to the capture of the test that is
 *       running. Put this module on a test class path instead of a logging backend such as
 *       slf4j-simple; the code under test keeps using the SLF4J API or {@code System.Logger} only.
 *   <li>{@link dev.braid.test.log.LogCaptureExtension} opens a {@link
 *       dev.braid.test.log.LogCapture} for each test (and one for each test class, for its
 *       {@code @BeforeAll} and {@code @AfterAll} methods) and, when the test ends, fails it if a
 *       warning or an error was logged that the test neither took nor declared. Braid's build
 *       registers it for every test through JUnit's extension auto-detection.
 *   <li>{@link dev.braid.test.log.InvocationOnFailure} adds the display name of a failed
 *       parameterized or repeated invocation (which carries its seed, for the randomized ones) to
 *       the failure, since Maven's console report names the invocation by its index only.
 *   <li>An event logged while no capture is open (between tests, or in a program without JUnit) is
 *       printed to standard error if it is a warning or an error, so nothing is lost.
 * </ul>
 *
 * <p>Twisted: trial's log observer, which fails a test that logged an error unless the test called
 * {@code flushLoggedErrors}. Threading: events may come from any thread; they go to the capture
 * opened last, so tests must not run in parallel within one JVM (Braid's do not).
 */
package dev.braid.test.log;
