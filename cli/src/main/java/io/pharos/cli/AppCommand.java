package io.pharos.cli;

import io.pharos.core.config.HostPort;
import io.pharos.testkit.FaultServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos app}: a sample application endpoint with switchable faults, for sandboxes. */
@Command(name = "app", mixinStandardHelpOptions = true,
    description = "Run a sample app endpoint (GET /healthz) whose faults can be set at run time (PUT /_fault).")
final class AppCommand implements Callable<Integer> {
  @Option(names = "--listen", required = true, description = "host:port to listen on")
  String listen;

  @Option(names = "--region", description = "region name, for the log")
  String region = "";

  @Override
  public Integer call() throws Exception {
    HostPort hp = HostPort.parse(listen);
    FaultServer server = new FaultServer(hp.host(), hp.port()).start();
    System.out.println("app " + region + " listening on " + hp);
    Shutdown.awaitTermination("app", server);
    return 0;
  }
}
