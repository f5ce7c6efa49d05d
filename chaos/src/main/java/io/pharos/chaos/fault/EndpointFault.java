package io.pharos.chaos.fault;

import io.pharos.testkit.FaultServer;
import io.pharos.testkit.sandbox.Http;
import java.util.List;
import java.util.Set;

/**
 * Errors, status codes, latency, hanging or blackholed requests at an app endpoint, switched at
 * run time through its {@code /_fault} control resource (the testkit {@link FaultServer}).
 */
public final class EndpointFault extends AbstractFault {
  private final String appUrl;
  private final FaultServer.Fault fault;

  /**
   * @param appUrl the app's base URL ({@code http://host:port}); control is {@code <appUrl>/_fault}
   */
  public EndpointFault(String id, String region, String appUrl, FaultServer.Fault fault) {
    super(id, Set.of(region));
    this.appUrl = appUrl;
    this.fault = fault;
  }

  @Override
  public String kind() {
    return "endpoint";
  }

  @Override
  public String describe() {
    return "PUT " + appUrl + "/_fault " + fault.toJson();
  }

  @Override
  protected void doInject() {
    put(appUrl, fault);
  }

  @Override
  protected void doRevert() {
    clear(appUrl);
  }

  static void put(String appUrl, FaultServer.Fault f) {
    Http.Response r = Http.send("PUT", appUrl + "/_fault", f.toJson())
        .orElseThrow(() -> new IllegalStateException("no answer from " + appUrl + "/_fault"));
    if (r.status() != 200) {
      throw new IllegalStateException(appUrl + "/_fault answered " + r.status() + ": " + r.body());
    }
  }

  static void clear(String appUrl) {
    Http.Response r = Http.send("DELETE", appUrl + "/_fault", null)
        .orElseThrow(() -> new IllegalStateException("no answer from " + appUrl + "/_fault"));
    if (r.status() != 200) {
      throw new IllegalStateException(appUrl + "/_fault answered " + r.status() + ": " + r.body());
    }
  }

  @Override
  public List<RevertSpec> watchdogReverts() {
    return List.of(RevertSpec.http("DELETE", appUrl + "/_fault"));
  }
}
