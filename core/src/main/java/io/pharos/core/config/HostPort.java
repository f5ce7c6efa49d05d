package io.pharos.core.config;

/** A host and port, written {@code host:port} in the config. */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
  }

  /** Parses {@code host:port}; IPv6 hosts are written in brackets ({@code [::1]:53}). */
  public static HostPort parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("expected host:port");
    }
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("expected host:port, was '" + s + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + s + "'");
    }
    return new HostPort(host, port);
  }

  /**
   * Whether the host is a loopback address written literally ({@code localhost}, {@code 127.x.x.x},
   * {@code ::1}). No name is resolved: a name that resolves to loopback is not counted as one.
   */
  public boolean isLoopback() {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] octets = h.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String o : octets) {
      if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
