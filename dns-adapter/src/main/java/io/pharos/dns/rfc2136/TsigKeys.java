package io.pharos.dns.rfc2136;

import io.pharos.core.config.ProviderSettings.Rfc2136;
import io.pharos.dns.DnsProviderException;
import java.util.Base64;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/** Builds the TSIG key from the environment variable the config names; the secret is never printed. */
final class TsigKeys {
  private TsigKeys() {}

  static TSIG fromEnv(Rfc2136 s, Map<String, String> env) {
    String secret = env.get(s.tsigKeyEnv());
    if (secret == null || secret.isBlank()) {
      throw new DnsProviderException("environment variable " + s.tsigKeyEnv() + " is not set: it must hold the"
          + " base64 secret of TSIG key '" + s.tsigKeyName() + "' (dns.rfc2136.tsigKeyEnv), as printed by"
          + " tsig-keygen -a " + s.tsigAlgorithm() + " " + s.tsigKeyName(), false);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.trim());
    } catch (IllegalArgumentException e) {
      throw new DnsProviderException("environment variable " + s.tsigKeyEnv() + " does not hold a base64 secret;"
          + " copy the secret \"...\" of key '" + s.tsigKeyName() + "' from tsig-keygen's output", false);
    }
    if (key.length < 16) {
      throw new DnsProviderException("the TSIG secret in " + s.tsigKeyEnv() + " is only " + key.length
          + " bytes; generate one with tsig-keygen -a " + s.tsigAlgorithm() + " " + s.tsigKeyName(), false);
    }
    Name algorithm = switch (s.tsigAlgorithm()) {
      case "hmac-sha384" -> TSIG.HMAC_SHA384;
      case "hmac-sha512" -> TSIG.HMAC_SHA512;
      default -> TSIG.HMAC_SHA256;
    };
    return new TSIG(algorithm, Rfc2136Records.name(s.tsigKeyName()), key);
  }
}
