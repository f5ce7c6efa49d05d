/**
 * RFC 2136 dynamic update with TSIG (BIND 9, Knot): the fencing record guarded by an update
 * prerequisite, so a stale writer's update is refused by the server as a whole.
 */
package io.pharos.dns.rfc2136;
