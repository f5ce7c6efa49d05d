package io.pharos.dns.testing;

import io.pharos.core.config.ProviderSettings.Route53;
import io.pharos.testkit.dns.MotoServer;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/** Route 53 settings and credentials for tests against testkit's {@link MotoServer}. */
public final class Route53Fixtures {
  /** Obviously fake; moto does not check them. */
  public static final AwsCredentialsProvider FAKE_CREDENTIALS = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("AKIAFAKEFORTESTS0000", "fake-secret-for-tests-only-not-a-key"));

  private Route53Fixtures() {}

  /** The real 5 requests/s budget, short polls, deadlines and pauses. */
  public static Route53 fast() {
    return new Route53(Optional.empty(), "us-east-1", Optional.empty(), 5, Duration.ofSeconds(10),
        Duration.ofMillis(100), 4, Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(2), 3,
        Duration.ofMillis(800), 60);
  }

  /**
   * An AWS SDK client straight to moto (not through Pharos or a proxy), for what a person would do
   * in the console: edit a record set by hand, look at an alias target. Close it after the test.
   */
  public static Route53Client direct(MotoServer moto) {
    return Route53Client.builder().endpointOverride(moto.url()).region(Region.US_EAST_1)
        .credentialsProvider(FAKE_CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }
}
