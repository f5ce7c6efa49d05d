package io.pharos.dns.route53;

import io.pharos.dns.DnsProviderException;
import io.pharos.dns.InvalidChangeException;
import io.pharos.dns.resilience.ResilientCalls;
import io.pharos.dns.resilience.ResilientCalls.Failure;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Sorts Route 53 failures into retry or not, and says in plain words what to fix. Messages name
 * the config field or environment variable involved and never include credentials: the SDK's own
 * text is quoted only for change-batch errors, which name records.
 */
final class Route53Errors implements ResilientCalls.Classifier {
  private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
      "RequestLimitExceeded", "TooManyRequestsException");
  private static final Set<String> TRANSIENT = Set.of("PriorRequestNotComplete", "ServiceUnavailable",
      "InternalFailure", "InternalError", "RequestTimeout");
  private static final Set<String> AUTH = Set.of("AccessDenied", "AccessDeniedException", "InvalidClientTokenId",
      "SignatureDoesNotMatch", "UnrecognizedClientException", "ExpiredToken", "InvalidSignatureException");

  private final String endpoint;
  private final String zone;

  Route53Errors(Optional<URI> endpoint, String zone) {
    this.endpoint = endpoint.map(URI::toString).orElse("the AWS Route 53 endpoint");
    this.zone = zone;
  }

  @Override
  public Failure classify(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof AwsServiceException s) {
      String code = code(s);
      if (THROTTLING.contains(code) || s.isThrottlingException()) {
        return Failure.THROTTLED;
      }
      if (TRANSIENT.contains(code) || s.statusCode() >= 500) {
        return Failure.TRANSIENT;
      }
      return Failure.PERMANENT;
    }
    if (e instanceof SdkClientException && isCredentials(e)) {
      return Failure.PERMANENT;
    }
    if (e instanceof SdkClientException || ResilientCalls.root(e) instanceof IOException) {
      return Failure.TRANSIENT;
    }
    return Failure.PERMANENT;
  }

  @Override
  public DnsProviderException explain(String operation, Throwable error, int attempts) {
    Throwable e = unwrap(error);
    String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
    if (e instanceof AwsServiceException s) {
      String code = code(s);
      if ("InvalidChangeBatch".equals(code) || "InvalidInput".equals(code)) {
        return new InvalidChangeException("Route 53 rejected the change batch for zone " + zone + " as invalid ("
            + code + "): " + s.awsErrorDetails().errorMessage(), e);
      }
      if ("NoSuchHostedZone".equals(code)) {
        return new DnsProviderException("unknown zone: Route 53 has no hosted zone for " + zone + " with this id"
            + " (NoSuchHostedZone); fix dns.route53.hostedZoneId or leave it out to look the zone up by name", false, e);
      }
      if (AUTH.contains(code) || s.statusCode() == 403) {
        return new DnsProviderException("Route 53 refused " + operation + " (" + code + "): the credentials are"
            + " invalid or lack permission; attach the IAM policy from docs/dns-providers.md (route53:GetHostedZone,"
            + " ListResourceRecordSets, ChangeResourceRecordSets, GetChange, ListHostedZonesByName)", false, e);
      }
      boolean transientFailure = classify(e) != Failure.PERMANENT;
      return new DnsProviderException("Route 53 " + operation + " failed" + tries + " (HTTP " + s.statusCode() + " "
          + code + ")" + (transientFailure ? "; will be retried later" : ""), transientFailure, e);
    }
    if (isCredentials(e)) {
      return new DnsProviderException("no AWS credentials for Route 53: the default chain found none; set"
          + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or (Kubernetes) AWS_ROLE_ARN with"
          + " AWS_WEB_IDENTITY_TOKEN_FILE from an IRSA service account", false, e);
    }
    Throwable root = ResilientCalls.root(e);
    return new DnsProviderException("Route 53 at " + endpoint + " is unreachable" + tries + " during " + operation
        + " (" + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
        + "); check dns.route53.endpoint and the network", true, e);
  }

  static String code(AwsServiceException s) {
    return s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null ? "HTTP" + s.statusCode()
        : s.awsErrorDetails().errorCode();
  }

  /** Whether Route 53 refused a DELETE of the fencing set because its value changed. */
  static boolean isFencingMismatch(InvalidChangeException e, String fencingName) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
    return m.contains(fencingName) && (m.contains("not found") || m.contains("do not match")
        || m.contains("already exists") || m.contains("but it was not found"));
  }

  private static boolean isCredentials(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
    return e instanceof SdkClientException && !(ResilientCalls.root(e) instanceof IOException)
        && m.contains("credentials");
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
