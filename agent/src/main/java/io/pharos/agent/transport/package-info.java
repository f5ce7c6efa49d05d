/** The Hazelcast client, the bounded report buffer and in-order publication on two paths. */
package io.pharos.agent.transport;
