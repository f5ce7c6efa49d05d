package io.pharos.dns;

import io.pharos.core.model.FencingToken;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One DNS backend as the reconciler sees it. The split into read, plan, apply and awaitLive lets
 * a new leader re-read what is actually served and finish an unfinished intent exactly once, and
 * lets every change be logged as a readable plan before anything is touched. Providers hold no
 * decision logic: they execute weights decided in the core.
 *
 * <p>The provider is also a fencing receiver. {@link #apply} takes a plan made against a read
 * (its basis) and a token, and refuses with {@link StaleTokenException} when:
 * <ul>
 *   <li>the token is older than the provider's (the sender was superseded);</li>
 *   <li>the provider's token is no longer the basis's (someone wrote since the read — re-read
 *       and plan again), checked before sending and, for remote providers, enforced by the
 *       provider itself in the same batch ({@link FencingRejectedException});</li>
 *   <li>the token equals the provider's and the plan would change something the embedded zone
 *       already committed under it (one token names one decision).</li>
 * </ul>
 * The same token as the provider's is accepted as a continuation of the same decision: a retried
 * apply after a crash (then usually an empty plan) or the next part of a bisected batch.
 *
 * <p>Implementations never block the caller's thread: remote calls run on the provider's own
 * threads and complete the returned futures.
 */
public interface DnsProvider extends AutoCloseable {

  /** The provider name used in {@code dns.provider}, for logs and metrics. */
  String name();

  /**
   * Whether the controllers' own name servers serve this zone from the committed journal (the
   * embedded provider): a change is live once committed and answered by the controllers, so it is
   * verified by asking them, and the zone cannot drift, so no periodic pass compares it. False for
   * a provider that serves the zone elsewhere (Route 53, an RFC 2136 server).
   */
  default boolean servedFromJournal() {
    return false;
  }

  /**
   * Checks, at start and on demand, that the provider can be used: credentials, the zone exists
   * and is the configured one, the server answers. Completes with the health on success; fails
   * with a {@link DnsProviderException} whose message names what to fix (a config field, an
   * environment variable, a server statement). An unreachable provider is retryable.
   */
  CompletableFuture<ProviderHealth> check();

  /** The weights the provider serves now, with the token of the change that set them and drift. */
  CompletableFuture<ZoneSnapshot> read();

  /**
   * The smallest change that turns {@code actual} into {@code desired}: only records and regions
   * whose weight differs. Records or regions that {@code desired} leaves out stay as they are.
   *
   * @throws DnsProviderException when {@code desired} names a record or region this provider does
   *     not serve, or a weight outside 0..255
   */
  ChangePlan plan(Map<String, Map<String, Integer>> desired, ZoneSnapshot actual);

  /**
   * Applies the plan under {@code token}, all of it or nothing (one batch). Completes
   * exceptionally with {@link StaleTokenException} as described above, {@link
   * InvalidChangeException} when the provider rejects the batch as invalid, or a retryable
   * {@link DnsProviderException} when it could not be reached. An empty plan with a newer token
   * still records the token, so a later stale writer is refused.
   */
  default CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token) {
    return apply(plan, token, ChangeWindow.unbounded());
  }

  /**
   * As {@link #apply(ChangePlan, FencingToken)}, within {@code window}: no attempt (retries
   * included) is sent once the window is closed, and no attempt is given longer than the time
   * left in it. The future then fails with {@link ChangeWindow.WindowClosedException} or the last
   * attempt's failure. An attempt already sent may still land; the caller reconciles that.
   */
  CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token, ChangeWindow window);

  /**
   * Completes once the applied change is what the provider answers; fails with a retryable
   * {@link DnsProviderException} ({@link InsyncDeadlineException} for Route 53) when that has not
   * happened within {@code deadline}.
   */
  CompletableFuture<Void> awaitLive(ApplyResult result, Duration deadline);

  /** Whether the provider can take changes now, and why not. Cheap; never does I/O. */
  ProviderHealth health();

  /** Releases connections and fails pending waits. Idempotent. */
  @Override
  void close();
}
