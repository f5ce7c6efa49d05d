/**
 * Attacker pieces for the hostile-neighbour tests: small classes that act only with what an
 * outsider on the controllers' network has — a Hazelcast client and the cluster name, and for the
 * attacks of a compromised agent one region's key — bounded in count and time. Each returns what
 * it did, so a test can show the controllers refused it and counted it by reason.
 */
package io.pharos.testkit.attack;
