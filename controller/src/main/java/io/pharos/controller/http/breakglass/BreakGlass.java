package io.pharos.controller.http.breakglass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.Failures;
import io.pharos.controller.http.auth.ApiGate;
import io.pharos.controller.http.auth.Caller;
import io.pharos.controller.http.auth.Refusals;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.api.RecoveryCodes;
import io.pharos.core.api.Role;
import io.pharos.core.journal.BreakGlassSession;
import io.pharos.core.journal.BreakGlassUsed;
import io.pharos.core.journal.Journal;
import io.pharos.core.security.Pbkdf2;
import io.pharos.core.security.Sha256;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Break-glass (R13): a one-time recovery code, checked against the hash file every controller
 * holds, is exchanged on any one controller for an admin session of {@code api.breakGlass.grant}.
 * It needs neither a quorum nor the tokens file.
 *
 * <ul>
 *   <li>The use is logged at once, locally, at ERROR with the {@code CRITICAL} marker, and written
 *       (fsync) to this controller's own file, so this controller refuses the code from then on,
 *       restarts included.</li>
 *   <li>It is journaled ({@link BreakGlassUsed}) as soon as there is an acting leader: by this
 *       controller when it leads, else forwarded to the leader, which checks the code itself.
 *       From then on every controller refuses the code and accepts the session. Until then the
 *       session works only here, and another controller cut off from this one would accept the
 *       same code once more (the journal then records both uses, loudly).</li>
 *   <li>Wrong codes count against the caller's address like wrong tokens (429 past the limit).</li>
 * </ul>
 */
public final class BreakGlass implements ApiGate.Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(BreakGlass.class);
  private static final Marker CRITICAL = MarkerFactory.getMarker("CRITICAL");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String SESSION_PREFIX = "pbg.";
  static final String USED_FILE = "breakglass-used.jsonl";
  private static final Pbkdf2.Stored DECOY = new Pbkdf2.Stored(RecoveryCodes.DEFAULT_ITERATIONS, new byte[16], new byte[32]);

  private final String selfId;
  private final Vertx vertx;
  private final Clock clock;
  private final Path codesFile;
  private final Path usedFile;
  private final Duration grant;
  private final int perMinute;
  private final Journal journal;
  private final Set<String> peerIds;
  private final LeaderLink leader;
  private final ErrorCounter errors;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Use> used = new ConcurrentHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean journaling = new AtomicBoolean();
  private ApiGate gate;
  private Refusals refusals;

  /** A use of a code on this controller, as its own file keeps it. */
  record Use(String codeId, long usedAt, String sessionHash, long expiresAt, String reason) {}

  /** A use not yet in the journal; the code is kept (in memory only) so the leader can check it. */
  private record Pending(String code, Use use) {}

  /** Sends a use to the acting leader's {@code /v1/breakglass/record}; true when it committed it. */
  public interface LeaderLink {
    boolean forward(String leaderId, ObjectNode use);
  }

  /**
   * @param codesFile the hash file, or null (break-glass off)
   * @param stateDir this controller's own directory (the file of uses is kept there)
   * @param peerIds the controllers' ids (a forwarded use must name one)
   */
  public BreakGlass(String selfId, Vertx vertx, Clock clock, Path codesFile, Path stateDir, Duration grant,
      int perMinute, Journal journal, Set<String> peerIds, LeaderLink leader, ErrorCounter errors) {
    this.selfId = selfId;
    this.vertx = vertx;
    this.clock = clock;
    this.codesFile = codesFile;
    this.usedFile = stateDir.resolve(USED_FILE);
    this.grant = grant;
    this.perMinute = perMinute;
    this.journal = journal;
    this.peerIds = Set.copyOf(peerIds);
    this.leader = leader;
    this.errors = errors;
    if (codesFile != null) {
      try {
        RecoveryCodes.parse(Files.readAllLines(codesFile, StandardCharsets.UTF_8), codesFile.toString());
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the break-glass codes file " + codesFile + ": "
            + e.getMessage());
      }
    }
    loadUses();
  }

  /** Mounts {@code POST /v1/breakglass} and {@code /v1/breakglass/record}: they come before token authentication. */
  public void mount(Router router, ApiGate gate, Refusals refusals) {
    this.gate = gate;
    this.refusals = refusals;
    BodyHandler body = BodyHandler.create(false).setBodyLimit(4_096);
    for (String path : new String[] {"/v1/breakglass", "/v1/breakglass/record"}) {
      router.post(path).handler(this::jsonOnly); // then the body, on a route of its own (Vert.x's order)
    }
    router.post("/v1/breakglass").handler(body).handler(this::exchange);
    router.post("/v1/breakglass/record").handler(body).handler(this::record);
  }

  @Override
  public boolean isSession(String token) {
    return token.startsWith(SESSION_PREFIX);
  }

  @Override
  public Optional<Caller> session(String token) {
    String hash = Sha256.hex(token);
    long now = clock.millis();
    Use local = used.values().stream().filter(u -> u.sessionHash().equals(hash)).findFirst().orElse(null);
    if (local != null && local.expiresAt() > now) {
      return Optional.of(caller(local.codeId()));
    }
    BreakGlassSession s = journal.state().breakGlass().sessions().get(hash);
    return s != null && s.expiresAt() > now ? Optional.of(caller(s.codeId())) : Optional.empty();
  }

  private Caller caller(String codeId) {
    return new Caller("breakglass:" + codeId, Role.ADMIN, perMinute, true);
  }

  private void jsonOnly(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      refusals.refuse(ctx, 415, "content-type", "send application/json");
    } else {
      ctx.next();
    }
  }

  /** {@code {"code": "...", "reason": "..."}} for an admin session. */
  private void exchange(RoutingContext ctx) {
    if (gate.refuseIfLocked(ctx)) {
      return;
    }
    if (codesFile == null) {
      refusals.refuse(ctx, 403, "breakglass-off", "break-glass is not configured on this controller"
          + " (api.breakGlass.codesFile)");
      return;
    }
    JsonNode body = body(ctx);
    if (body == null) {
      return;
    }
    String reason = body.path("reason").asText("").strip();
    if (reason.isEmpty()) {
      refusals.refuse(ctx, 400, "no-reason", "field 'reason' is required: why is the glass broken?");
      return;
    }
    RecoveryCodes.Presented code = RecoveryCodes.Presented.of(body.path("code").asText(null));
    if (code == null) {
      gate.failedAuthentication(ctx, "bad-code", "not a recovery code (<8-hex id>-XXXXX-XXXXX-XXXXX-XXXXX)");
      return;
    }
    String ip = ApiGate.address(ctx);
    vertx.executeBlocking(() -> use(code, reason), false).onComplete(r -> {
      if (r.failed()) {
        errors.record(LOG, "breakglass.use", "a break-glass use could not be recorded", r.cause());
        refusals.refuse(ctx, 500, "breakglass-error", "the use could not be recorded: nothing granted");
      } else if (r.result() instanceof String refusal) {
        gate.failedAuthentication(ctx, "bad-code", refusal);
      } else {
        Granted g = (Granted) r.result();
        LOG.error(CRITICAL, "CRITICAL: break-glass code {} used from {} on controller {}: admin until {}; reason: {}",
            code.id(), ip, selfId, Instant.ofEpochMilli(g.expiresAt()), reason);
        ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(MAPPER.createObjectNode()
            .put("token", g.token()).put("name", "breakglass:" + code.id()).put("role", "admin")
            .put("expiresAt", g.expiresAt()).put("controller", selfId)
            .put("note", "valid on " + selfId + " now, on every controller once journaled; set PHAROS_TOKEN to it")
            .toString());
        vertx.executeBlocking(() -> {
          journalPending();
          return null;
        }, false);
      }
    });
  }

  private record Granted(String token, long expiresAt) {}

  /** Checks and spends a code; a String says why not. Blocking (file reads, PBKDF2, fsync). */
  private synchronized Object use(RecoveryCodes.Presented code, String reason) throws IOException {
    Pbkdf2.Stored stored = codes().get(code.id());
    boolean ok = Pbkdf2.verify(code.secret(), stored != null ? stored : DECOY) && stored != null;
    if (!ok) {
      return "unknown recovery code";
    }
    Use earlier = used.get(code.id());
    Long spent = journal.state().breakGlass().spent().get(code.id());
    if (earlier != null || spent != null) {
      return "recovery code " + code.id() + " was used already (at " + Instant.ofEpochMilli(earlier != null
          ? earlier.usedAt() : spent) + "); each code works once";
    }
    byte[] b = new byte[32];
    random.nextBytes(b);
    String token = SESSION_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    long now = clock.millis();
    Use u = new Use(code.id(), now, Sha256.hex(token), now + grant.toMillis(), reason);
    append(u);
    used.put(code.id(), u);
    pending.put(code.id(), new Pending(code.id() + "-" + code.secret(), u));
    return new Granted(token, u.expiresAt());
  }

  private Map<String, Pbkdf2.Stored> codes() throws IOException {
    return RecoveryCodes.parse(Files.readAllLines(codesFile, StandardCharsets.UTF_8), codesFile.toString());
  }

  /**
   * The leader's side of a forwarded use: {@code {"code", "sessionHash", "expiresAt", "usedAt",
   * "usedOn", "reason"}}, checked against the hash file like a use, then journaled.
   */
  private void record(RoutingContext ctx) {
    if (gate.refuseIfLocked(ctx)) {
      return;
    }
    JsonNode body = body(ctx);
    if (body == null) {
      return;
    }
    RecoveryCodes.Presented code = RecoveryCodes.Presented.of(body.path("code").asText(null));
    String usedOn = body.path("usedOn").asText("");
    String sessionHash = body.path("sessionHash").asText("");
    if (codesFile == null || code == null || !peerIds.contains(usedOn) || !sessionHash.matches("[0-9a-f]{64}")) {
      gate.failedAuthentication(ctx, "bad-code", "not a break-glass use this controller can check");
      return;
    }
    if (!journal.isActingLeader()) {
      refusals.refuse(ctx, 409, "not-leader", "controller " + selfId + " is not the acting leader");
      return;
    }
    vertx.executeBlocking(() -> {
      Pbkdf2.Stored stored = codes().get(code.id());
      return Pbkdf2.verify(code.secret(), stored != null ? stored : DECOY) && stored != null;
    }, false).onComplete(r -> {
      if (r.failed() || !r.result()) {
        gate.failedAuthentication(ctx, "bad-code", "unknown recovery code");
        return;
      }
      if (journal.state().breakGlass().sessions().containsKey(sessionHash)) {
        ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end("{\"journaled\":true}");
        return;
      }
      BreakGlassUsed e = new BreakGlassUsed(code.id(), sessionHash, body.path("expiresAt").asLong(),
          body.path("reason").asText(""), usedOn, body.path("usedAt").asLong(), journal.term(), clock.millis(), selfId);
      journal.propose(e).whenComplete((p, err) -> {
        if (err == null && p.accepted()) {
          ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
              .end("{\"journaled\":true}");
        } else {
          Throwable t = Failures.unwrap(err);
          refusals.refuse(ctx, 503, "not-journaled", "not journaled: " + (t != null ? t.getMessage()
              : p.detail()));
        }
      });
    });
  }

  /**
   * Journals the uses not yet in the journal (this controller leading) or forwards them to the
   * acting leader. Blocking; called off the event loop after a use and every few seconds.
   */
  public void journalPending() {
    if (pending.isEmpty() || !journaling.compareAndSet(false, true)) {
      return;
    }
    try {
      var journaled = journal.state().breakGlass().sessions();
      pending.values().removeIf(p -> journaled.containsKey(p.use().sessionHash()));
      for (Pending p : pending.values()) {
        Use u = p.use();
        if (journal.isActingLeader()) {
          journal.propose(new BreakGlassUsed(u.codeId(), u.sessionHash(), u.expiresAt(), u.reason(), selfId,
              u.usedAt(), journal.term(), clock.millis(), selfId)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } else if (journal.leaderId().filter(l -> !l.equals(selfId)).isPresent()) {
          ObjectNode body = MAPPER.createObjectNode().put("code", p.code()).put("sessionHash", u.sessionHash())
              .put("expiresAt", u.expiresAt()).put("usedAt", u.usedAt()).put("usedOn", selfId)
              .put("reason", u.reason());
          leader.forward(journal.leaderId().get(), body);
        }
      }
    } catch (Exception e) {
      errors.record(LOG, "breakglass.journal", "a break-glass use is not journaled yet (tried again shortly)", e);
    } finally {
      journaling.set(false);
    }
  }

  /** Whether a use made here still waits for the journal. */
  public boolean pendingUses() {
    return !pending.isEmpty();
  }

  private JsonNode body(RoutingContext ctx) {
    try {
      String raw = ctx.body().asString();
      JsonNode n = raw == null || raw.isBlank() ? null : MAPPER.readTree(raw);
      if (n == null || !n.isObject()) {
        throw new IOException("the body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      refusals.refuse(ctx, 400, "bad-json", "bad JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return null;
    }
  }

  private void append(Use u) throws IOException {
    Files.createDirectories(usedFile.getParent());
    byte[] line = (MAPPER.writeValueAsString(u) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(usedFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(line));
      ch.force(true);
    }
  }

  private void loadUses() {
    if (!Files.exists(usedFile)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(usedFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          Use u = MAPPER.readValue(line, Use.class);
          used.put(u.codeId(), u);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read this controller's break-glass uses " + usedFile + ": "
          + e.getMessage());
    }
  }
}
