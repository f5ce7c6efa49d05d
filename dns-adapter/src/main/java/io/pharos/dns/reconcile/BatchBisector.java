package io.pharos.dns.reconcile;

import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.InvalidChangeException;
import io.pharos.dns.RecordChange;
import io.pharos.dns.RecordRepair;
import io.pharos.dns.ZoneSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * Applies a plan; when the provider rejects the batch as invalid ({@link InvalidChangeException}),
 * splits it in halves and applies each, recursively, until every rejected part is a single record
 * set. So one bad record never blocks the rest: with k bad sets among n the cost is about
 * {@code 2k log2 n} extra batches. The first part that goes through moves the provider's fencing
 * record to the token; the later parts continue under the same token (the plan's basis moves
 * along). Any other failure stops the bisection and fails the whole call; what was applied stays
 * applied, and the next read shows it.
 */
public final class BatchBisector {
  private BatchBisector() {}

  /** What was applied (in order), what was rejected, and the zone as it now is. */
  public record Result(List<ApplyResult> applied, List<Rejected> rejected, ZoneSnapshot after) {
    public Result {
      applied = List.copyOf(applied);
      rejected = List.copyOf(rejected);
    }
  }

  /**
   * @param plan a plan with a basis
   * @param apply the provider's apply
   */
  public static CompletableFuture<Result> apply(ChangePlan plan, FencingToken token,
      BiFunction<ChangePlan, FencingToken, CompletableFuture<ApplyResult>> apply) {
    State state = new State(plan.requireBasis());
    state.todo.push(plan);
    return step(state, token, apply).thenCompose(s -> {
      if (s.applied.isEmpty() && !plan.isEmpty()) {
        // everything was rejected: still record the token, so a stale writer is refused later
        ChangePlan nothing = new ChangePlan(List.of(), List.of(), java.util.Optional.of(s.basis));
        return apply.apply(nothing, token).thenApply(r -> {
          s.applied.add(r);
          s.basis = s.basis.after(s.basis.weights(), token, s.basis.drift());
          return s;
        });
      }
      return CompletableFuture.completedFuture(s);
    }).thenApply(s -> new Result(s.applied, s.rejected, s.basis));
  }

  private static CompletableFuture<State> step(State s, FencingToken token,
      BiFunction<ChangePlan, FencingToken, CompletableFuture<ApplyResult>> apply) {
    if (s.todo.isEmpty()) {
      return CompletableFuture.completedFuture(s);
    }
    ChangePlan part = s.todo.pop().withBasis(s.basis);
    return apply.apply(part, token).handle((result, error) -> {
      if (error == null) {
        s.applied.add(result);
        s.basis = s.basis.after(part.weightsAfter(s.basis), token, s.basis.drift());
        return null;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!(cause instanceof InvalidChangeException)) {
        throw error instanceof CompletionException ce ? ce : new CompletionException(error);
      }
      if (part.size() <= 1) {
        s.rejected.add(rejected(part, cause.getMessage()));
      } else {
        List<ChangePlan> halves = part.halves();
        s.todo.push(halves.get(1));
        s.todo.push(halves.get(0));
      }
      return null;
    }).thenCompose(v -> step(s, token, apply));
  }

  private static Rejected rejected(ChangePlan single, String reason) {
    if (!single.changes().isEmpty()) {
      RecordChange c = single.changes().get(0);
      return new Rejected(c.record(), c.region(), reason);
    }
    if (!single.repairs().isEmpty()) {
      RecordRepair r = single.repairs().get(0);
      return new Rejected(r.record(), r.region(), reason);
    }
    // an empty plan rejected as invalid: the fencing record itself
    return new Rejected("(fencing record)", "", reason);
  }

  private static final class State {
    final Deque<ChangePlan> todo = new ArrayDeque<>();
    final List<ApplyResult> applied = new ArrayList<>();
    final List<Rejected> rejected = new ArrayList<>();
    ZoneSnapshot basis;

    State(ZoneSnapshot basis) {
      this.basis = basis;
    }
  }
}
