/**
 * The load generator of the network benchmarks: plain NIO, no Braid code (this package imports
 * nothing from {@code dev.braid} but itself), so that it drives Braid and its peers alike.
 */
package dev.braid.bench.load;
