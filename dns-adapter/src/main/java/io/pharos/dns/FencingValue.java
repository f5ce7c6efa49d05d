package io.pharos.dns;

import io.pharos.core.model.FencingToken;
import java.util.List;
import java.util.Optional;

/**
 * The value of the fencing TXT record {@code _pharos.<zone>}: two strings, the token of the last
 * applied decision ({@code "3:12"}, term:index) and a batch counter ({@code "batch=2"}). The
 * counter makes every batch change the value, so that the next part of a decision applied under
 * the same token (a bisected batch, a retry) is still a compare-and-set on the exact old value —
 * an exact-match DELETE or prerequisite of an unchanged value would not fence anything.
 */
public final class FencingValue {
  private FencingValue() {}

  /** The TXT strings for a token and batch number. */
  public static List<String> strings(FencingToken token, int batch) {
    return List.of(token.toString(), "batch=" + batch);
  }

  /** The batch counter in TXT strings; 0 when absent or unreadable. */
  public static int batch(List<String> strings) {
    if (strings.size() < 2 || !strings.get(1).startsWith("batch=")) {
      return 0;
    }
    try {
      return Integer.parseInt(strings.get(1).substring("batch=".length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The counter for the next batch: one more under the same token, 1 under a new one. */
  public static int nextBatch(Optional<FencingToken> held, int heldBatch, FencingToken token) {
    return held.filter(token::equals).isPresent() ? heldBatch + 1 : 1;
  }
}
