/**
 * Helpers that Braid's modules share and users do not call: not an API, exported only to Braid's
 * own modules, and free to change between versions.
 */
package dev.braid.defer.internal;
