package io.pharos.dns.embedded;

import io.pharos.core.config.DnsNames;

/**
 * One controller as a name server of the embedded zone: the name the zone's NS records list and
 * the IPv4 address its DNS server listens on. Names inside the zone also get A records (glue), so
 * a resolver can reach them without another lookup.
 */
public record NameServer(String name, String ipv4) {
  public NameServer {
    if (name == null || !DnsNames.isValidName(name)) {
      throw new IllegalArgumentException("name server name '" + name + "' is not a valid DNS name");
    }
    if (ipv4 == null || !DnsNames.isIpv4(ipv4)) {
      throw new IllegalArgumentException("name server " + name + " needs an IPv4 address, was '" + ipv4 + "'");
    }
    name = DnsNames.normalize(name);
  }
}
