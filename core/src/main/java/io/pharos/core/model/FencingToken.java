package io.pharos.core.model;

/**
 * The (term, index) of a committed Raft entry. Every external change carries the token of the
 * decision it executes; receivers accept only tokens newer than the last one they accepted.
 */
public record FencingToken(long term, long index) implements Comparable<FencingToken> {
  public static final FencingToken NONE = new FencingToken(0, 0);

  public FencingToken {
    if (term < 0 || index < 0) {
      throw new IllegalArgumentException("term and index must not be negative");
    }
  }

  @Override
  public int compareTo(FencingToken o) {
    int c = Long.compare(term, o.term);
    return c != 0 ? c : Long.compare(index, o.index);
  }

  public boolean isNewerThan(FencingToken o) {
    return compareTo(o) > 0;
  }

  /** {@code term:index}, the form used in DNS TXT records and HTTP headers. */
  @Override
  public String toString() {
    return term + ":" + index;
  }

  public static FencingToken parse(String s) {
    int colon = s == null ? -1 : s.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("a fencing token is written term:index, was '" + s + "'");
    }
    try {
      return new FencingToken(Long.parseLong(s.substring(0, colon)), Long.parseLong(s.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a fencing token is written term:index, was '" + s + "'");
    }
  }
}
