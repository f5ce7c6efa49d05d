package io.pharos.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured steps of one failover, each as milliseconds since the fault (or -1 when it did not
 * happen), with the targets they are judged against.
 */
public final class Timeline {
  /** One row. */
  public record Mark(String step, long sinceFaultMs, long targetMs) {
    public boolean happened() {
      return sinceFaultMs >= 0;
    }

    public boolean withinTarget() {
      return targetMs <= 0 || (happened() && sinceFaultMs <= targetMs);
    }
  }

  private final String scenario;
  private final long faultAt;
  private final List<Mark> marks = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Timeline(String scenario, long faultAt) {
    this.scenario = scenario;
    this.faultAt = faultAt;
  }

  public long faultAt() {
    return faultAt;
  }

  /** Adds a step observed at wall-clock {@code at} (0 = not observed). */
  public void mark(String step, long at, long targetMs) {
    marks.add(new Mark(step, at <= 0 ? -1 : at - faultAt, targetMs));
  }

  public void note(String note) {
    notes.add(note);
  }

  public List<Mark> marks() {
    return List.copyOf(marks);
  }

  public Mark get(String step) {
    return marks.stream().filter(m -> m.step().equals(step)).findFirst().orElseThrow();
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("Timeline of ").append(scenario).append(" (time since the fault)\n");
    sb.append(String.format("  %-36s %10s   %-10s%n", "step", "time", "target"));
    for (Mark m : marks) {
      String time = m.happened() ? String.format("%.3f s", m.sinceFaultMs() / 1000.0) : "not seen";
      String target = m.targetMs() > 0
          ? String.format("≤ %.0f s %s", m.targetMs() / 1000.0, m.withinTarget() ? "ok" : "MISSED") : "";
      sb.append(String.format("  %-36s %10s   %s%n", m.step(), time, target));
    }
    for (String n : notes) {
      sb.append("  note: ").append(n).append('\n');
    }
    return sb.toString();
  }

  public ObjectNode json(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("scenario", scenario);
    root.put("faultAt", java.time.Instant.ofEpochMilli(faultAt).toString());
    ArrayNode steps = root.putArray("steps");
    for (Mark m : marks) {
      ObjectNode s = steps.addObject().put("step", m.step());
      if (m.happened()) {
        s.put("sinceFaultMs", m.sinceFaultMs());
      } else {
        s.putNull("sinceFaultMs");
      }
      if (m.targetMs() > 0) {
        s.put("targetMs", m.targetMs()).put("withinTarget", m.withinTarget());
      }
    }
    ArrayNode n = root.putArray("notes");
    notes.forEach(n::add);
    return root;
  }
}
