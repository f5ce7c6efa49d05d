package io.pharos.cli;

import io.pharos.cli.operator.KeysRotateCommand;
import io.pharos.core.config.ControllerKeyConfig;
import io.pharos.core.security.ControllerKeys;
import io.pharos.core.security.Ed25519;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pharos keys ...}: the keys an operator creates and rotates (docs/security/mode-records.md,
 * docs/security/reports.md).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Pharos keys: the controllers' signing key pair, the regions' report keys.",
    subcommands = {KeysCommand.Generate.class, KeysDeriveCommand.class, KeysRotateCommand.class})
final class KeysCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("use: pharos keys generate | derive --region R | rotate --region R --reason ... (--help for"
        + " options)");
  }

  /**
   * {@code pharos keys generate}: a new Ed25519 pair for the controllers. The private key signs mode
   * records (controllers only); the public key goes in every controller's and agent's config.
   */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Print a new controllers' Ed25519 key pair: the PEM private key (controllers only) and the"
          + " base64 public key line for every config.")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--private-key-file", paramLabel = "FILE",
        description = "write the private key to FILE (created with mode 600, never overwritten) instead of printing it")
    Path privateKeyFile;

    @Override
    public Integer call() {
      KeyPair pair = Ed25519.generate();
      String keyId = ControllerKeys.keyId(pair.getPublic());
      StringBuilder out = new StringBuilder();
      out.append("# Pharos controllers' Ed25519 key pair, key id ").append(keyId).append('\n');
      if (privateKeyFile == null) {
        out.append("# Private key: controllers only. Save it as the file named by security.controllerKeyFile\n")
            .append("# (readable by the controller alone) or put it in the environment variable ")
            .append(ControllerKeyConfig.DEFAULT_KEY_ENV).append(".\n")
            .append(Ed25519.pem(pair.getPrivate()));
      } else {
        write(privateKeyFile, Ed25519.pem(pair.getPrivate()));
        out.append("# Private key written to ").append(privateKeyFile.toAbsolutePath())
            .append(" (controllers only: security.controllerKeyFile)\n");
      }
      out.append("# Public key: in every controller's and agent's config (during a rotation, the old one moves to\n")
          .append("# controllerPreviousPublicKey):\n")
          .append("security:\n  controllerPublicKey: ").append(Ed25519.base64(pair.getPublic())).append('\n');
      System.out.print(out);
      System.out.flush();
      return 0;
    }

    private static void write(Path file, String pem) {
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
          Files.createFile(file);
        }
        Files.writeString(file, pem, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      } catch (FileAlreadyExistsException e) {
        throw new IllegalArgumentException(file + " already exists; Pharos never overwrites a key file (move it away"
            + " or name another)");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
