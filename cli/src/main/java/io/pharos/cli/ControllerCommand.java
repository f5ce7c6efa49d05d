package io.pharos.cli;

import io.pharos.controller.ControllerOptions;
import io.pharos.controller.PharosController;
import io.pharos.core.config.PharosConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos controller}: runs one controller of the quorum. */
@Command(name = "controller", mixinStandardHelpOptions = true,
    description = "Run a controller: a Hazelcast member, a Raft peer, the embedded DNS server and the API.")
final class ControllerCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Pharos YAML config file")
  Path config;

  @Option(names = "--id", required = true, description = "this controller's id in controllers.peers")
  String id;

  @Option(names = "--data-dir", description = "Raft storage root (default: controllers.storageDir)")
  Path dataDir;

  @Option(names = "--join", description = "start as a new, empty member for the leader to add"
      + " (`pharos controllers replace`); see docs/runbooks.md")
  boolean join;

  @Option(names = "--action-log", description = "append every external action (term, token, outcome) to this file"
      + " (default: <data-dir>/<id>/actions.jsonl)")
  Path actionLog;

  @Option(names = "--bind", description = "address Raft, Hazelcast and the API bind, e.g. 0.0.0.0 in a container"
      + " (default: the addresses in controllers.peers, where the others reach this controller)")
  String bind;

  @Override
  public Integer call() throws Exception {
    PharosConfig cfg = ConfigFiles.load(config);
    Path data = dataDir != null ? dataDir : Path.of(cfg.controllers().storageDir());
    PharosController controller = PharosController.start(cfg, new ControllerOptions(id, data, join,
        actionLog != null ? actionLog : data.resolve(id).resolve(io.pharos.controller.raft.StorageGuard.ACTION_LOG), bind), Clock.systemUTC());
    Shutdown.awaitTermination("controller " + id, controller);
    return 0;
  }
}
