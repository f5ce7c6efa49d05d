package io.pharos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.DryRun;
import io.pharos.dns.ProviderHealth;
import io.pharos.dns.embedded.InMemoryZoneStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos dns plan|check}: the DNS provider as Pharos sees it, without changing anything. */
@Command(name = "dns", mixinStandardHelpOptions = true, description = "Inspect the DNS provider without changing it.",
    subcommands = {DnsCommand.Plan.class, DnsCommand.Check.class})
final class DnsCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("use: pharos dns plan | pharos dns check (--help for options)");
  }

  /** Shared options: the config file, and for the embedded zone a controller to read it from. */
  abstract static class Base {
    @Option(names = "--config", required = true, description = "the Pharos config file")
    Path config;

    @Option(names = "--controller", description = "embedded provider: host:port of a controller API to read the live"
        + " zone from (default: the config's base weights)")
    String controller;

    DnsProvider provider(DnsConfig dns) throws Exception {
      if (!"embedded".equals(dns.provider())) {
        return DnsProviders.create(dns, DnsProviderContext.remote(Clock.systemUTC()));
      }
      InMemoryZoneStore store = controller == null ? InMemoryZoneStore.fromConfig(dns)
          : new InMemoryZoneStore(fromController(HostPort.parse(controller)));
      if (controller == null) {
        System.out.println("note: the embedded zone lives in the controllers' journal; without --controller the plan"
            + " starts from the config's base weights");
      }
      return DnsProviders.create(dns, DnsProviderContext.embedded(store, Clock.systemUTC()));
    }

    private static ZoneState fromController(HostPort api) throws Exception {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + api + "/v1/status"))
          .timeout(Duration.ofSeconds(5));
      String token = System.getenv("PHAROS_TOKEN"); // a viewer token: the status is not public
      if (token != null && !token.isBlank()) {
        if (!java.net.InetAddress.getByName(api.host()).isLoopbackAddress()) {
          throw new IllegalArgumentException("--controller reads over plain HTTP: only a loopback controller gets"
              + " the token; run this on the controller's host");
        }
        req.header("Authorization", "Bearer " + token.strip());
      }
      HttpResponse<String> r = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalArgumentException("controller " + api + " answered HTTP " + r.statusCode() + " to /v1/status"
            + (r.statusCode() == 401 ? " (set PHAROS_TOKEN to a viewer token)" : ""));
      }
      JsonNode zone = new ObjectMapper().readTree(r.body()).path("zone");
      Map<String, Map<String, Integer>> weights = new TreeMap<>();
      zone.path("weights").fields().forEachRemaining(rec -> {
        Map<String, Integer> w = new TreeMap<>();
        rec.getValue().fields().forEachRemaining(e -> w.put(e.getKey(), e.getValue().asInt()));
        weights.put(rec.getKey(), w);
      });
      return new ZoneState(weights, FencingToken.parse(zone.path("token").asText("0:0")), zone.path("serial").asLong(1));
    }
  }

  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = "Dry run: print the change set a failover or an evacuation step would make; applies nothing.")
  static final class Plan extends Base implements Callable<Integer> {
    @Option(names = "--failover", split = ",", description = "regions to take out (comma-separated)")
    List<String> failover;

    @Option(names = "--evacuate", description = "region to evacuate step by step")
    String evacuate;

    @Option(names = "--keep", defaultValue = "50", description = "with --evacuate: percent of its weight the region"
        + " keeps in this step (default ${DEFAULT-VALUE})")
    int keep;

    @Override
    public Integer call() throws Exception {
      if ((failover == null) == (evacuate == null)) {
        throw new IllegalArgumentException("give exactly one of --failover REGION[,REGION] or --evacuate REGION");
      }
      DnsConfig dns = ConfigFiles.load(config).dns();
      var desired = failover != null ? DryRun.failover(dns, failover) : DryRun.evacuation(dns, evacuate, keep);
      String what = failover != null ? "failover of " + String.join(", ", failover)
          : "evacuation of " + evacuate + " to " + keep + " %";
      try (DnsProvider provider = provider(dns)) {
        System.out.println(DryRun.describe(provider, dns, desired, what).join());
        return 0;
      } catch (CompletionException e) {
        throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
      }
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Check that the provider is reachable, the zone exists and the credentials work.")
  static final class Check extends Base implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      DnsConfig dns = ConfigFiles.load(config).dns();
      try (DnsProvider provider = provider(dns)) {
        ProviderHealth h = provider.check().join();
        System.out.println(provider.name() + ": " + h.state() + " - " + h.detail());
        return 0;
      } catch (CompletionException e) {
        System.err.println("pharos: " + e.getCause().getMessage());
        return 1;
      }
    }
  }
}
