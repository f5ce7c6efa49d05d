package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pharos tokens}: named API tokens (create one; list what the controllers accept). */
@Command(name = "tokens", mixinStandardHelpOptions = true,
    description = "Named API tokens with a role (viewer, operator, admin); the controllers keep only their hashes.",
    subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class})
public final class TokensCommand extends CommandGroup {
  /** {@code pharos tokens create}: a new token, shown once, and its line for the tokens file. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Make a token for a person or a tool. Prints the token once (hand it over, keep it in a secret"
          + " store) and the line for the tokens file every controller reads (api.tokensFile or"
          + " PHAROS_API_TOKENS_FILE; read again within seconds, no restart).",
          "Example: pharos tokens create --name alice --role operator --file /etc/pharos/tokens"})
  static final class Create implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "who holds it: the identity the audit chain records")
    String name;

    @Option(names = "--role", required = true, description = "viewer, operator or admin")
    String role;

    @Option(names = "--limit", paramLabel = "N", description = "calls a minute (default: api.rateLimit.perToken)")
    Integer limit;

    @Option(names = "--iterations", defaultValue = "" + TokenFile.DEFAULT_ITERATIONS,
        description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--file", description = "append the line to this tokens file as well (created owner-only)")
    Path file;

    @Override
    public Integer call() throws IOException {
      TokenFile.Issued t = TokenFile.issue(name, Role.parse(role), limit, iterations, new SecureRandom());
      if (file != null) {
        if (Files.exists(file) && TokenFile.parse(Files.readAllLines(file), file.toString()).containsKey(name)) {
          throw new IllegalArgumentException(file + " already has a token named '" + name + "': remove its line first"
              + " (that revokes it) or choose another name");
        }
        if (!Files.exists(file)) {
          Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, t.line() + "\n", StandardOpenOption.APPEND);
      }
      System.out.println("token for " + name + " (" + Role.parse(role).label() + "), shown once:");
      System.out.println(t.token());
      System.out.println();
      System.out.println(file != null ? "added to " + file + " (give every controller the same file):"
          : "line for the tokens file of every controller (api.tokensFile):");
      System.out.println(t.line());
      return 0;
    }
  }

  /** {@code pharos tokens list}: the names and roles the controllers accept (admin). */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the tokens a controller accepts: name, role, limit (never a hash). Needs an admin token.")
  static final class ListTokens implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Override
    public Integer call() {
      ControllerTarget.Answer a = target.getAny("/v1/tokens");
      if (a.status() != 200) {
        System.err.println("pharos: tokens list failed: " + ControllerTarget.explain(a));
        return 1;
      }
      System.out.printf("%-24s %-9s %10s%n", "NAME", "ROLE", "PER MINUTE");
      for (JsonNode t : a.body().path("tokens")) {
        System.out.printf("%-24s %-9s %10d%n", t.path("name").asText(), t.path("role").asText(),
            t.path("perMinute").asInt());
      }
      return 0;
    }
  }
}
