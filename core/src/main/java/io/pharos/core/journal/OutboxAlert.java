package io.pharos.core.journal;

/**
 * One journaled alert state change waiting in the outbox for delivery to people.
 *
 * @param seq its place in the outbox (1, 2, ... in commit order)
 * @param incident the {@code seq} of the raise this change belongs to: a raise and its clear share
 *     it, so they share a dedup key at PagerDuty and Alertmanager
 * @param code alert code ({@code RegionDown})
 * @param severity INFO, WARNING or CRITICAL
 * @param region region concerned, or null
 * @param message evidence, for people
 * @param cleared true for the condition's end
 * @param at proposer clock of the change
 * @param controller the controller that journaled it
 */
public record OutboxAlert(long seq, long incident, String code, String severity, String region, String message,
    boolean cleared, long at, String controller) {

  /** Identity of the condition: the same code about the same region is the same alert. */
  public String condition() {
    return condition(code, region);
  }

  static String condition(String code, String region) {
    return code + "/" + (region == null ? "*" : region);
  }
}
