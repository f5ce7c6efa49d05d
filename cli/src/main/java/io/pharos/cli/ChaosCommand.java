package io.pharos.cli;

import io.pharos.chaos.watchdog.Watchdog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos chaos watchdog}: the detached process that reverts a dead drill runner's faults. */
@Command(name = "chaos", hidden = true, mixinStandardHelpOptions = true,
    description = "Chaos tooling.", subcommands = {ChaosCommand.WatchdogCommand.class})
final class ChaosCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Watches a lease file; reverts every fault in it when the runner's heartbeat stops. */
  @Command(name = "watchdog", mixinStandardHelpOptions = true,
      description = "Revert every fault of a drill runner when its heartbeat stops (started by `pharos drill run`).")
  static final class WatchdogCommand implements Callable<Integer> {
    @Option(names = "--lease-file", required = true, description = "the runner's lease file")
    Path leaseFile;

    @Option(names = "--stale-after-ms", defaultValue = "" + Watchdog.DEFAULT_STALE_AFTER_MS,
        description = "time without a heartbeat (on the watchdog's own monotonic clock) that counts as dead")
    long staleAfterMs;

    @Override
    public Integer call() {
      return new Watchdog(leaseFile, staleAfterMs).run();
    }
  }
}
