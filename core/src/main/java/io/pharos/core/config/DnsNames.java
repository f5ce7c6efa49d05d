package io.pharos.core.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Syntax checks for DNS names and address literals, without any lookup. */
public final class DnsNames {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9-_]{0,61}[a-z0-9_])?");
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private DnsNames() {}

  /** Lower case, no trailing dot. */
  public static String normalize(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  public static boolean isValidName(String name) {
    String n = normalize(name);
    if (n.isEmpty() || n.length() > 253) {
      return false;
    }
    for (String label : n.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code name} is the zone apex or below it. */
  public static boolean inZone(String name, String zone) {
    String n = normalize(name);
    String z = normalize(zone);
    return n.equals(z) || n.endsWith("." + z);
  }

  public static boolean isIpv4(String s) {
    return IPV4.matcher(s).matches();
  }

  public static boolean isIpv6(String s) {
    if (s.indexOf(':') < 0 || !s.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
