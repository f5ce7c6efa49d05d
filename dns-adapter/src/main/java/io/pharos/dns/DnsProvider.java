package io.pharos.dns;

import io.pharos.core.model.FencingToken;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One DNS backend as the reconciler sees it. The split into read, plan, apply and awaitLive lets
 * a new leader re-read what is actually served and finish an unfinished intent exactly once, and
 * lets every change be logged as a readable plan before anything is touched.
 *
 * <p>The provider is also a fencing receiver: {@link #apply} refuses a token that is not newer
 * than the last one it accepted, so a deposed leader cannot overwrite a newer decision.
 * Implementations must not block the caller's thread; slow work completes the returned futures
 * later.
 */
public interface DnsProvider extends AutoCloseable {

  /** The provider name used in {@code dns.provider}, for logs and metrics. */
  String name();

  /** The weights the provider serves now, with the token of the change that set them. */
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
   * Applies the plan under {@code token}. Completes exceptionally with {@link
   * StaleTokenException} when the token is not newer than the last accepted one; an empty plan
   * with a newer token still records the token, so a later stale writer is refused.
   */
  CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token);

  /**
   * Completes once the applied change is what the provider answers; fails with a retryable
   * {@link DnsProviderException} when that has not happened within {@code deadline}.
   */
  CompletableFuture<Void> awaitLive(ApplyResult result, Duration deadline);

  /** Whether the provider can take changes now, and why not. Cheap; never does I/O. */
  ProviderHealth health();

  /** Releases connections and fails pending waits. Idempotent. */
  @Override
  void close();
}
