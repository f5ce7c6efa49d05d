/** The region's mode from the pharos.mode map: highest token wins, lease on the monotonic clock. */
package io.pharos.agent.mode;
