package io.pharos.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 subnet in CIDR form ({@code 10.0.0.0/8}, {@code fd00::/8}; a bare address is a
 * /32 or /128). Parsed without any name lookup: only address literals are accepted.
 *
 * @param network the address bytes with the host bits cleared (4 or 16 bytes)
 * @param prefixLength bits of the network part
 */
public record Cidr(byte[] network, int prefixLength) {
  public Cidr {
    network = network.clone();
  }

  /** Parses {@code text}; throws IllegalArgumentException naming what is wrong. */
  public static Cidr parse(String text) {
    String s = text == null ? "" : text.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    if (!DnsNames.isIpv4(address) && !DnsNames.isIpv6(address)) {
      throw new IllegalArgumentException("'" + s + "' is not a subnet in CIDR form such as 10.0.0.0/8 or fd00::/8");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + s + "' is not an address", e);
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("'" + s + "': the prefix length must be 0.." + max);
      }
    }
    return new Cidr(mask(bytes, prefix), prefix);
  }

  /** Whether {@code address} (4 or 16 bytes) lies in this subnet. */
  public boolean contains(byte[] address) {
    return address.length == network.length && Arrays.equals(mask(address, prefixLength), network);
  }

  /** {@code address} with every bit after the first {@code prefix} cleared. */
  public static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xFF << (8 - keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
