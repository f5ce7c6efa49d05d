package io.pharos.core.config;

import java.net.URI;
import java.time.Duration;

/**
 * One endpoint of a region that agents probe.
 *
 * @param id unique within its region
 * @param kind how it is probed
 * @param url for HTTP(S) probes
 * @param address for TCP probes
 * @param expectStatus HTTP status that counts as up
 * @param expectBody substring the HTTP body must contain, or null
 * @param latencyBudget a probe slower than this counts as failed
 * @param interval time between probes
 * @param timeout probe timeout
 * @param critical whether this endpoint failing makes its region fail
 */
public record EndpointConfig(
    String id,
    Kind kind,
    URI url,
    HostPort address,
    int expectStatus,
    String expectBody,
    Duration latencyBudget,
    Duration interval,
    Duration timeout,
    boolean critical) {

  /** Probe kinds. */
  public enum Kind {
    HTTP,
    TCP
  }

  /** The text a person reads for this endpoint's target. */
  public String target() {
    return kind == Kind.HTTP ? url.toString() : address.toString();
  }
}
