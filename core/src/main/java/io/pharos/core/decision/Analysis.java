package io.pharos.core.decision;

/**
 * A named finding about a region (or the cluster, with region null).
 *
 * @param code what was found
 * @param region region concerned, or null
 * @param message why, for people: which vantages saw what, or which rule held back an action
 */
public record Analysis(AnalysisCode code, String region, String message) {
  /** Identity for de-duplication: the same code on the same region is the same alert. */
  public String key() {
    return code + "/" + (region == null ? "*" : region);
  }
}
