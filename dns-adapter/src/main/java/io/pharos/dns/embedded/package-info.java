/**
 * The embedded provider: every controller answers DNS for the zone itself, from the state its
 * Raft log has committed. There is no second store to keep in step, so an answer can only ever
 * reflect a committed decision, and losing a controller loses one name server, not the zone.
 */
package io.pharos.dns.embedded;
