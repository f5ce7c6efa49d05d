package io.pharos.controller.failover;

import java.util.Map;

/**
 * Whether every controller's name server answers the given weights, for a zone served from the
 * journal. Blocking. The controller asks over DNS ({@link DnsVerifier}).
 */
public interface NameServerCheck {
  DnsVerifier.Result verify(Map<String, Map<String, Integer>> weights);
}
