/** The Hazelcast client, the bounded report buffer and in-order publication on pharos.reports. */
package io.pharos.agent.transport;
