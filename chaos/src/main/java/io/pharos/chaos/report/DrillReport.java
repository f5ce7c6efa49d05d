package io.pharos.chaos.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pharos.core.report.EventLine;
import io.pharos.core.report.Mark;
import io.pharos.core.report.Measure;
import io.pharos.core.report.SignOff;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The record of one drill, for an auditor: what ran where and when, what was expected and what
 * happened, the measured timeline against its targets, RTO and RPO, deviations, remediation and
 * a sign-off. Serialised as JSON ({@link #toJson()}); rendered as Markdown and HTML. Its parts
 * ({@link Mark}, {@link Measure}, {@link EventLine}, {@link SignOff}) are the report format drills
 * share with incident reports ({@code io.pharos.core.report}).
 *
 * @param status PASS (the expected outcome held), FAIL, ABORTED, PENDING (cannot run yet) or ERROR
 * @param targetsMet false when a measured time missed its target (a deviation, not a failure)
 * @param faultAt epoch millis of the first injected fault, or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DrillReport(String schema, String id, String scenario, String title, String description, String source,
    String environment, boolean practice, String status, boolean targetsMet, String summary, String expected,
    String actual, String date, long startedAt, long finishedAt, Long faultAt, List<Mark> timeline,
    List<StepResult> steps, List<FaultLine> faults, List<EventLine> events, Measure rto, Measure rpo,
    List<String> deviations, List<String> remediation, List<String> notes, SignOff signOff, String pendingReason,
    String schedule, ProviderApi providerApi) {
  public static final String SCHEMA = "pharos.drill-report/v1";
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** One scenario step as it ran: PASSED, FAILED, SKIPPED (after a failure or abort). */
  public record StepResult(int index, int line, String description, String status, Long startedAt, Long endedAt,
      String detail) {}

  /** One fault: when it went in and out, and why it was reverted. */
  public record FaultLine(String id, String kind, String description, Long injectedAt, Long revertedAt,
      String revertReason) {}

  /**
   * The DNS provider's API as the runner's chaos proxy saw it, for drills that fault it: every
   * call of the controllers passes the proxy. Null when the drill did not fault a provider API.
   *
   * @param faultFrom when the first dns-provider fault went in (epoch millis)
   * @param faultTo when the last one was reverted, or the end of the drill
   * @param requests calls the controllers made during the drill; {@code throttled}, {@code failed}
   *     (injected errors) and {@code forwarded} of them
   * @param changesAccepted ChangeResourceRecordSets changing weighted sets the provider accepted
   *     while the fault was in
   * @param fencingOnlyAccepted accepted batches that only swapped the fencing TXT (a new leader
   *     finishing a decision already in place: allowed, the same token)
   * @param decisionsCommitted DNS changes the controllers committed (distinct decisions) in that time
   * @param peakPerSecond the most calls that arrived within any one second of the drill
   * @param peakAllowingJitter the most within any second shortened by {@code jitterMs}: what the
   *     budget check compares with the budget
   * @param budgetPerSecond the budget they must keep to, or null if unknown
   * @param controllerRetries retries the controllers counted during the drill, or null if not reported
   * @param controllerThrottled throttled answers the controllers counted during the drill, or null
   */
  public record ProviderApi(String endpoint, Long faultFrom, Long faultTo, long requests, long throttled, long failed,
      long forwarded, long changesAccepted, long fencingOnlyAccepted, long decisionsCommitted, int peakPerSecond, int peakAllowingJitter,
      long jitterMs, Integer budgetPerSecond,
      Long controllerRetries, Long controllerThrottled) {}

  public Optional<Mark> mark(String key) {
    return timeline.stream().filter(m -> m.key().equals(key)).findFirst();
  }

  public boolean passed() {
    return "PASS".equals(status);
  }

  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static DrillReport fromJson(String json) {
    try {
      return MAPPER.readValue(json, DrillReport.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a drill report: " + e.getMessage(), e);
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
