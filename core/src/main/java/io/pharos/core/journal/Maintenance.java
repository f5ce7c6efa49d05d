package io.pharos.core.journal;

/**
 * An active pause of automation.
 *
 * @param by who paused
 * @param reason why
 * @param since when
 * @param until when it ends by itself, or 0 for no end
 */
public record Maintenance(String by, String reason, long since, long until) {
  public boolean activeAt(long now) {
    return until == 0 || now < until;
  }
}
