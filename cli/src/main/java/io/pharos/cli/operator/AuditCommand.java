package io.pharos.cli.operator;

import io.pharos.core.journal.AuditChain;
import io.pharos.core.security.Ed25519;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pharos audit}: the audit chain, exported and verified. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "The audit chain of operator calls (who, what, why, result, term), hash-chained in the journal.",
    subcommands = {AuditCommand.Export.class, AuditCommand.Verify.class})
public final class AuditCommand extends CommandGroup {
  /** {@code pharos audit export}: the chain as JSON lines. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write the audit chain the controllers hold as JSON lines (the anchor it starts at, then the"
          + " records). Needs a viewer token. Export regularly: records older than api.audit.retain are dropped from"
          + " the journal behind a signed anchor.")
  static final class Export implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Option(names = "--out", description = "file to write (default: standard output)")
    Path out;

    @Override
    public Integer call() throws IOException {
      List<String> lines = fetch(target);
      if (lines == null) {
        return 1;
      }
      if (out == null) {
        lines.forEach(System.out::println);
      } else {
        Files.write(out, lines);
        System.err.println("pharos: " + lines.size() + " lines written to " + out);
      }
      return 0;
    }
  }

  /** {@code pharos audit verify}: a changed, deleted or reordered record is found. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Check an export (or, without a file, the controllers' chain): every record's hash, each one"
          + " following the one before, and the start either the first record or a truncation anchor signed with"
          + " the controllers' key. With a file and --config/--api, the file is also compared with the live chain"
          + " (a rewritten tail shows only there). Exit 0 when it holds, 1 when not."})
  static final class Verify implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Parameters(index = "0", arity = "0..1", description = "an export (pharos audit export --out FILE)")
    Path file;

    @Option(names = "--public-key", description = "the controllers' Ed25519 public key, base64 (default: the"
        + " config's security.controllerPublicKey)")
    String publicKey;

    @Override
    public Integer call() throws IOException {
      boolean live = (target.api != null && !target.api.isEmpty()) || target.config != null;
      List<String> lines = file != null ? Files.readAllLines(file) : fetch(target);
      if (lines == null) {
        return 1;
      }
      AuditChain.Verification v = AuditChain.verify(lines, key());
      String what = file != null ? file.toString() : "the controllers' chain";
      if (!v.ok()) {
        System.out.println(what + ": NOT VERIFIED");
        v.problems().forEach(p -> System.out.println("  " + p));
        return 1;
      }
      System.out.println(what + ": verified, " + v.records() + " records, seq " + v.first() + ".." + v.last()
          + (v.anchored() ? " (starts at a signed truncation anchor)" : " (from the first record)") + ", head "
          + v.head());
      if (file != null && live) {
        return compareWithLive(lines);
      }
      if (file != null) {
        System.out.println("  a cut at the end of the file shows only against a later export or the live chain"
            + " (--config or --api)");
      }
      return 0;
    }

    private PublicKey key() {
      if (publicKey != null) {
        return Ed25519.publicKey(publicKey);
      }
      return target.config != null ? target.config().controllerKeys().publicKey() : null;
    }

    /** Every record of the file that the controllers still hold must be the same record there. */
    private int compareWithLive(List<String> lines) {
      List<String> liveLines = fetch(target);
      if (liveLines == null) {
        return 1;
      }
      Map<Long, String> liveHashes = hashes(liveLines);
      Map<Long, String> mine = hashes(lines);
      int compared = 0;
      for (Map.Entry<Long, String> e : mine.entrySet()) {
        String there = liveHashes.get(e.getKey());
        if (there != null) {
          compared++;
          if (!there.equals(e.getValue())) {
            System.out.println("  seq " + e.getKey() + " differs from the controllers' record: the file was rewritten");
            return 1;
          }
        }
      }
      long liveHead = liveHashes.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
      long fileHead = mine.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
      System.out.println("  matches the controllers' chain on " + compared + " records (the controllers are at seq "
          + liveHead + (liveHead > fileHead ? ", " + (liveHead - fileHead) + " newer than the file" : "") + ")");
      return 0;
    }

    private static Map<Long, String> hashes(List<String> lines) {
      Map<Long, String> out = new HashMap<>();
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      for (String l : lines) {
        try {
          var n = mapper.readTree(l);
          if (n != null && "record".equals(n.path("type").asText())) {
            out.put(n.path("seq").asLong(), n.path("hash").asText());
          }
        } catch (IOException e) {
          // verify() has said what is wrong with the line
        }
      }
      return out;
    }
  }

  /** The chain from the first controller that answers; null (after saying why) when none does. */
  static List<String> fetch(ControllerTarget target) {
    ControllerTarget.Answer a = target.getAny("/v1/audit");
    if (!a.unreachable().isEmpty()) {
      System.err.println("pharos: not answering: " + String.join(", ", a.unreachable()));
    }
    if (a.status() != 200) {
      System.err.println("pharos: audit export failed: " + ControllerTarget.explain(a));
      return null;
    }
    return a.body().path("text").asText("").lines().filter(l -> !l.isBlank()).toList();
  }
}
