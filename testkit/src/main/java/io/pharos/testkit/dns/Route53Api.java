package io.pharos.testkit.dns;

import io.pharos.testkit.proxy.HttpChaosProxy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Route 53's REST API as a test or a drill sees it through an {@link HttpChaosProxy}: which action
 * a logged call was, Route 53's error documents, and the Route 53 failures the rates of an
 * {@link io.pharos.testkit.proxy.ApiFault} cannot express, scripted on the proxy (a change batch
 * refused as invalid, changes that stay PENDING).
 */
public final class Route53Api {
  /** The API version prefix of every path. */
  public static final String VERSION = "/2013-04-01";
  public static final String XMLNS = "https://route53.amazonaws.com/doc/2013-04-01/";
  public static final String CHANGE = "ChangeResourceRecordSets";
  public static final String GET_CHANGE = "GetChange";
  public static final String LIST = "ListResourceRecordSets";

  private Route53Api() {}

  /**
   * The action of a call: {@code ChangeResourceRecordSets}, {@code GetChange},
   * {@code ListResourceRecordSets}, {@code ListHostedZonesByName}, {@code GetHostedZone}, ...,
   * or the method and path when it is none of those.
   */
  public static String action(String method, String path) {
    if (path.contains("/change/")) {
      return GET_CHANGE;
    }
    if (path.endsWith("/rrset") || path.endsWith("/rrset/")) {
      return "POST".equals(method) ? CHANGE : LIST;
    }
    if (path.contains("hostedzonesbyname")) {
      return "ListHostedZonesByName";
    }
    if (path.matches(".*/hostedzone/[^/]+/?")) {
      return "GET".equals(method) ? "GetHostedZone" : method + "HostedZone";
    }
    return method + " " + path;
  }

  public static String action(HttpChaosProxy.Exchange e) {
    return action(e.method(), e.path());
  }

  /** The logged calls per action. */
  public static Map<String, Integer> counts(List<HttpChaosProxy.Exchange> log) {
    Map<String, Integer> out = new TreeMap<>();
    log.forEach(e -> out.merge(action(e), 1, Integer::sum));
    return out;
  }

  /** How many logged calls were {@code action}. */
  public static int count(List<HttpChaosProxy.Exchange> log, String action) {
    return (int) log.stream().filter(e -> action(e).equals(action)).count();
  }

  /** Whether a logged call was a ChangeResourceRecordSets. */
  public static boolean isChange(HttpChaosProxy.Exchange e) {
    return CHANGE.equals(action(e));
  }

  /**
   * Whether a logged ChangeResourceRecordSets changes weighted record sets (the steered records
   * carry a SetIdentifier); a batch that only swaps the fencing TXT (a new leader finishing a
   * decision whose weights are already in place) does not.
   */
  public static boolean changesWeightedSets(HttpChaosProxy.Exchange e) {
    return isChange(e) && e.body().contains("<SetIdentifier>");
  }

  /** Route 53's error document: type {@code Sender} or {@code Receiver}, a code and a message. */
  public static String error(String type, String code, String message) {
    return "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"" + XMLNS + "\"><Error><Type>" + type + "</Type><Code>"
        + code + "</Code><Message>" + message + "</Message></Error><RequestId>pharos-chaos</RequestId>"
        + "</ErrorResponse>";
  }

  /**
   * Change batches whose body contains {@code text} are refused with 400 InvalidChangeBatch, as
   * Route 53 refuses a batch with one bad record set; null refuses nothing any more.
   */
  public static void rejectBatchesContaining(HttpChaosProxy proxy, String text) {
    proxy.refuse(text == null ? null : c -> action(c.method(), c.path()).equals(CHANGE) && c.body().contains(text),
        400, error("Sender", "InvalidChangeBatch", "[RRSet with DNS name " + text + ". is not permitted"
            + " (injected by the Pharos chaos proxy)]"));
  }

  /**
   * Changes stay PENDING for the next {@code polls} GetChange answers (and in the answer to a
   * change made meanwhile), as Route 53 reports a change while it propagates; 0 stops it.
   */
  public static void pendingFor(HttpChaosProxy proxy, int polls) {
    AtomicInteger left = new AtomicInteger(polls);
    proxy.rewrite(polls <= 0 ? null : c -> switch (action(c.method(), c.path())) {
      case GET_CHANGE -> left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      case CHANGE -> left.get() > 0;
      default -> false;
    }, answer -> answer.replace(">INSYNC<", ">PENDING<"));
  }
}
