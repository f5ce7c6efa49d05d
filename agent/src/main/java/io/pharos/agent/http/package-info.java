/** The agent's HTTP endpoint: /v1/mode, /health, /ready, /v1/status. */
package io.pharos.agent.http;
