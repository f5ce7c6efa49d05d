/** Pharos agent. */
package io.pharos.agent;
