/**
 * The {@code poetry} command line (picocli), run by {@code bin/poetry}: {@code serve}, {@code
 * transform-server}, {@code get}, {@code proxy}, {@code transform-proxy} and {@code demo}. Not
 * exported: its API is the command line.
 *
 * <p>Each command runs one reactor on the main thread. Servers listen before the reactor runs,
 * print one line saying where, and run until SIGINT or SIGTERM (a shutdown hook stops the reactor
 * gracefully). {@code get} and {@code demo} run with {@code Tasks.react} and exit when done.
 * Standard output carries results (poems, banners), standard error carries errors, notes and live
 * progress; both are UTF-8 whatever the locale. Usage errors are one line and exit 2; failures exit
 * 1.
 *
 * <p>{@link dev.braid.poetry.cli.Env} is the seam for tests: they run commands in-process with
 * captured streams and keep hold of the reactors to stop servers.
 */
package dev.braid.poetry.cli;
