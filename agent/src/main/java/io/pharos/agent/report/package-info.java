/** Signed reports: heartbeat and edge-triggered, seq increasing across restarts. */
package io.pharos.agent.report;
