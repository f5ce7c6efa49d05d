package io.pharos.cli.operator;

import io.pharos.core.api.RecoveryCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pharos breakglass}: one-time recovery codes for when the token store or the quorum is gone. */
@Command(name = "breakglass", mixinStandardHelpOptions = true,
    description = "One-time recovery codes: each grants admin on a controller for api.breakGlass.grant (15m by"
        + " default), without a token or a quorum, loudly logged and audited. See docs/security/api-and-audit.md.",
    subcommands = {BreakglassCommand.Codes.class, BreakglassCommand.Use.class})
public final class BreakglassCommand extends CommandGroup {
  /** Where {@code use} reads the code when not from standard input (never from the command line: shell history). */
  static final String CODE_ENV = "PHAROS_BREAKGLASS_CODE";

  /** {@code pharos breakglass codes}: new codes (printed once) and their hash file. */
  @Command(name = "codes", mixinStandardHelpOptions = true,
      description = {"Generate recovery codes: prints them once (print them, seal them, keep them apart from the"
          + " tokens) and writes their hashes to --out, the file every controller names in"
          + " api.breakGlass.codesFile (the controllers' secret; never in the journal).",
          "Example: pharos breakglass codes --count 10 --out /etc/pharos/breakglass"})
  static final class Codes implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "10", description = "how many (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--out", required = true, description = "the hash file to write (owner only)")
    Path out;

    @Option(names = "--force", description = "replace an existing file (its codes stop working)")
    boolean force;

    @Option(names = "--iterations", defaultValue = "" + RecoveryCodes.DEFAULT_ITERATIONS,
        description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
    int iterations;

    @Override
    public Integer call() throws IOException {
      if (Files.exists(out) && !force) {
        throw new IllegalArgumentException(out + " exists: its codes would stop working; give --force to replace it");
      }
      RecoveryCodes.Generated g = RecoveryCodes.generate(count, iterations, new SecureRandom());
      Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, g.lines());
      Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      System.out.println(count + " recovery codes, shown once; each works once (`pharos breakglass use`):");
      g.codes().forEach(System.out::println);
      System.out.println();
      System.out.println("their hashes are in " + out + ": give every controller that file (api.breakGlass.codesFile)");
      return 0;
    }
  }

  /** {@code pharos breakglass use}: a code for an admin session. */
  @Command(name = "use", mixinStandardHelpOptions = true,
      description = {"Exchange a recovery code for an admin session on the first controller that answers (no quorum"
          + " needed). The code is read from " + CODE_ENV + " or standard input, never the command line. Prints the"
          + " session token: set PHAROS_TOKEN to it and talk to that controller (--api), or to any once the use is"
          + " journaled.",
          "Example: pharos breakglass use --api https://10.0.1.5:8080 --reason \"quorum lost, re-forming the group\""})
  static final class Use implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Option(names = "--reason", required = true, description = "why the glass is broken (audited)")
    String reason;

    @Override
    public Integer call() throws IOException {
      String code = System.getenv(CODE_ENV);
      if (code == null || code.isBlank()) {
        System.err.println("recovery code:");
        code = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      }
      if (code == null || RecoveryCodes.Presented.of(code) == null) {
        throw new IllegalArgumentException("not a recovery code (<8-hex id>-XXXXX-XXXXX-XXXXX-XXXXX)");
      }
      List<String> unreachable = new ArrayList<>();
      for (String u : target.urls()) {
        ControllerTarget.Answer a = target.send(u, "/v1/breakglass", ControllerTarget.body("code", code.strip(),
            "reason", reason), false);
        if (a.status() == 0) {
          unreachable.add(u);
          continue;
        }
        if (!unreachable.isEmpty()) {
          System.err.println("pharos: not answering: " + String.join(", ", unreachable));
        }
        if (a.status() != 200) {
          System.err.println("pharos: break-glass refused by " + u + ": " + ControllerTarget.explain(a));
          return 1;
        }
        System.out.println("admin session on " + a.body().path("controller").asText() + " (" + u + ") until "
            + Instant.ofEpochMilli(a.body().path("expiresAt").asLong()) + "; this use is logged and audited.");
        System.out.println("export PHAROS_TOKEN=" + a.body().path("token").asText());
        return 0;
      }
      System.err.println("pharos: no controller answered: " + String.join(", ", unreachable));
      return 1;
    }
  }
}
