package io.pharos.core.config;

import io.pharos.core.security.MasterSecret;
import io.pharos.core.security.RegionKey;
import java.time.Duration;
import java.util.Objects;

/**
 * Report trust (docs/security/reports.md). Controllers hold the master secret and derive every
 * region's report key from it; an agent holds only its own region's key. Both come from
 * environment variables, are read when the config is loaded (a malformed value stops start-up
 * there), and are required by role: a controller without the master secret or an agent without
 * its region key does not start ({@link #requireMasterSecret()}, {@link #requireRegionKey}).
 * Secret values never appear in {@link #toString()}, logs or error messages.
 *
 * @param masterSecretEnv environment variable with the controllers' master secret
 * @param regionKeyEnv environment variable with an agent's region key
 * @param previousKeyGrace how long a region's previous key generation is still accepted after a
 *     rotation (counted from the rotation's journal entry, alike on every controller)
 * @param agentStateExpiry how long a controller keeps an agent's replay and clock state after it
 *     was last heard
 * @param masterSecret the master secret, or null when its variable is not set
 * @param regionKey the region key, or null when its variable is not set
 */
public record SecurityConfig(
    String masterSecretEnv,
    String regionKeyEnv,
    Duration previousKeyGrace,
    Duration agentStateExpiry,
    MasterSecret masterSecret,
    RegionKey regionKey) {

  public static final String DEFAULT_MASTER_SECRET_ENV = "PHAROS_MASTER_SECRET";
  public static final String DEFAULT_REGION_KEY_ENV = "PHAROS_REGION_KEY";

  /**
   * The master secret, for a controller.
   *
   * @throws ConfigException naming the field and the variable when it is not set
   */
  public MasterSecret requireMasterSecret() {
    if (masterSecret == null) {
      throw new ConfigException("security.masterSecretEnv: environment variable " + masterSecretEnv + " is not set;"
          + " a controller needs the master secret the region report keys are derived from (at least "
          + MasterSecret.MIN_LENGTH + " bytes, e.g. `openssl rand -hex 32`, the same on every controller)");
    }
    return masterSecret;
  }

  /**
   * The region key of an agent running in {@code region}.
   *
   * @throws ConfigException when it is not set, or is another region's key
   */
  public RegionKey requireRegionKey(String region) {
    if (regionKey == null) {
      throw new ConfigException("security.regionKeyEnv: environment variable " + regionKeyEnv + " is not set; an"
          + " agent needs its region's report key: `pharos keys derive --region " + region + "` prints it (run"
          + " with the controllers' master secret in the environment)");
    }
    if (!regionKey.region().equals(region)) {
      throw new ConfigException("security.regionKeyEnv: the key in " + regionKeyEnv + " is region '"
          + regionKey.region() + "''s, but this agent runs in region '" + region + "': each region's agents"
          + " need their own region's key (`pharos keys derive --region " + region + "`)");
    }
    return regionKey;
  }

  /** The same settings with {@code key} as the region key (tests, and agents given a key otherwise). */
  public SecurityConfig withRegionKey(RegionKey key) {
    return new SecurityConfig(masterSecretEnv, regionKeyEnv, previousKeyGrace, agentStateExpiry, masterSecret, key);
  }

  @Override
  public String toString() {
    return "SecurityConfig[masterSecretEnv=" + masterSecretEnv + ", regionKeyEnv=" + regionKeyEnv
        + ", previousKeyGrace=" + previousKeyGrace + ", agentStateExpiry=" + agentStateExpiry + ", masterSecret="
        + (masterSecret == null ? "none" : "<redacted>") + ", regionKey=" + regionKey + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecurityConfig s
        && Objects.equals(masterSecretEnv, s.masterSecretEnv)
        && Objects.equals(regionKeyEnv, s.regionKeyEnv)
        && Objects.equals(previousKeyGrace, s.previousKeyGrace)
        && Objects.equals(agentStateExpiry, s.agentStateExpiry)
        && (masterSecret == null) == (s.masterSecret == null)
        && Objects.equals(regionKey, s.regionKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(masterSecretEnv, regionKeyEnv, previousKeyGrace, agentStateExpiry);
  }
}
