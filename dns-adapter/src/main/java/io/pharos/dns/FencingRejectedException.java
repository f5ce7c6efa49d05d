package io.pharos.dns;

import io.pharos.core.model.FencingToken;

/**
 * The provider itself refused the batch because its fencing record no longer held the token the
 * plan was made against (Route 53 exact-match DELETE failed, RFC 2136 prerequisite NXRRSET): a
 * newer writer got there first. Nothing of the batch was applied.
 */
public class FencingRejectedException extends StaleTokenException {
  public FencingRejectedException(FencingToken offered, FencingToken expected, String providerAnswer) {
    super(offered, expected, "refused change with fencing token " + offered + ": the provider's fencing record no"
        + " longer holds " + expected + " (" + providerAnswer + "); a newer decision was applied meanwhile, nothing"
        + " of this batch was applied; re-read the journal and the zone instead of retrying");
  }
}
