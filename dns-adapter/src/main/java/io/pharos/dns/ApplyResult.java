package io.pharos.dns;

import io.pharos.core.model.FencingToken;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider accepted. The reconciler journals it (token, change id) so a successor leader
 * can wait for the same change instead of applying it again.
 *
 * @param token the token the change was applied under
 * @param changeId the provider's id for the change (Route 53 change id, zone serial, ...)
 * @param appliedAt when the provider accepted it, by the controller's clock
 * @param weights every weight the provider serves once the change is live
 */
public record ApplyResult(FencingToken token, String changeId, Instant appliedAt, Map<String, Map<String, Integer>> weights) {
  public ApplyResult {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(changeId, "changeId");
    Objects.requireNonNull(appliedAt, "appliedAt");
    weights = Weights.copyOf(Objects.requireNonNull(weights, "weights"));
  }
}
