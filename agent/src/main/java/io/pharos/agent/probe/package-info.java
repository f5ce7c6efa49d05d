/** HTTP and TCP probes and the scheduler that runs them (jitter, interval, confirmation probes). */
package io.pharos.agent.probe;
