package io.pharos.dns;

import io.pharos.core.model.FencingToken;
import java.util.concurrent.CompletableFuture;

/**
 * The checks every remote provider makes before sending a change: the provider is open, the plan
 * knows what it was made from, and the fencing record still holds the token the plan was made
 * against (and nothing newer than the change's own token). The provider then enforces the same on
 * its side (Route 53: exact-match DELETE; RFC 2136: prerequisite).
 */
public final class FencingChecks {
  private FencingChecks() {}

  /** The plan's basis, or a failed future saying why the change cannot be sent at all. */
  public static CompletableFuture<ZoneSnapshot> basis(String provider, boolean closed, ChangePlan plan,
      FencingToken token, FencingToken lastAccepted) {
    if (closed) {
      return CompletableFuture.failedFuture(new DnsProviderException(provider + " provider is closed", false));
    }
    if (lastAccepted.isNewerThan(token)) {
      return CompletableFuture.failedFuture(new StaleTokenException(token, lastAccepted));
    }
    try {
      return CompletableFuture.completedFuture(plan.requireBasis());
    } catch (DnsProviderException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Throws when the fencing record holds a newer token, or another one than the plan was made against. */
  public static void checkHeld(FencingToken held, FencingToken token, ZoneSnapshot basis) {
    if (held.isNewerThan(token)) {
      throw new StaleTokenException(token, held);
    }
    if (!held.equals(basis.token())) {
      throw new DnsProviderException("the zone changed since this plan was made: the fencing record holds " + held
          + ", the plan was made against " + basis.token() + "; read the zone again and plan again", false);
    }
  }
}
