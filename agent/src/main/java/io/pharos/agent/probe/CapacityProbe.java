package io.pharos.agent.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.pharos.agent.Ticker;
import io.pharos.core.model.Capacity;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Reads the agent's own region's capacity endpoint (JSON {@code {"headroomPercent": n}}) like any
 * probe (a new connection, one deadline for the whole answer, at most {@value #MAX_BODY_BYTES}
 * bytes), and turns the answer into a capacity observation ({@link Capacity}) that rides in the
 * next report. A failed read is a failed observation: the controllers then have no fresh headroom
 * for the region, which is shown, not guessed. The exchange is the HTTP probe's; only the judging
 * of the answer differs.
 */
public final class CapacityProbe implements Probe {
  static final int MAX_BODY_BYTES = 4 * 1024;
  private final HttpProbe http;
  private final ProbeClock time;
  private final Clock clock;

  public CapacityProbe(HttpProbe http, Clock clock, Ticker ticker) {
    this.http = http;
    this.clock = clock;
    this.time = new ProbeClock(clock, ticker);
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    return http.probe(target, Reading::new);
  }

  /** A 200 whose body, whole and within the cap, parses as a headroom. */
  private final class Reading implements HttpProbe.Judge {
    private final ProbeTarget target;
    private final long start;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Reading(ProbeTarget target, long start) {
      this.target = target;
      this.start = start;
    }

    @Override
    public Observation head(int status) {
      return status == 200 ? null : time.down(target, start, status, FailureKind.STATUS);
    }

    @Override
    public Observation chunk(ByteBuf chunk) {
      if (body.size() + chunk.readableBytes() > MAX_BODY_BYTES) {
        return time.down(target, start, 200, FailureKind.BODY);
      }
      body.writeBytes(ByteBufUtil.getBytes(chunk));
      return null;
    }

    @Override
    public Observation end() {
      Observation timed = time.up(target, start, 200);
      try {
        int headroom = Capacity.parse(body.toString(StandardCharsets.UTF_8));
        return Capacity.reading(target.region(), headroom, timed.latencyMicros(), clock.millis());
      } catch (IllegalArgumentException e) {
        return time.down(target, start, 200, FailureKind.BODY);
      }
    }
  }
}
