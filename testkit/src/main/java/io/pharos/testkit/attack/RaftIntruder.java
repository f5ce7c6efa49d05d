package io.pharos.testkit.attack;

import io.pharos.core.config.HostPort;
import io.pharos.core.journal.AutomationPaused;
import io.pharos.core.journal.JournalCodec;
import io.pharos.testkit.tls.TestPki;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * An outsider on the controllers' network trying to commit a journal entry through their Raft
 * port (issue 14, "commit a Raft entry"). It knows what anyone can read: the Raft group's name and
 * the controllers' ids and Raft addresses. It speaks Ratis's own client protocol to every
 * controller in turn and trusts any server certificate, so that a refusal can only come from the
 * controllers. What it brings, one attempt each:
 * <ul>
 *   <li>{@link #plaintext}: no TLS at all;</li>
 *   <li>{@link #tlsWithoutCertificate}: TLS, but no client certificate;</li>
 *   <li>{@link #foreignCertificate}: a certificate of its own CA that claims to be a controller (its
 *       id as CN, its Raft host as SAN);</li>
 *   <li>{@link #notAControllerCertificate}: a certificate of the controllers' own CA (stolen, or one
 *       the CA issued to another service) that names no controller.</li>
 * </ul>
 * {@link #withCertificate} is the same client with any certificate: a test shows with a real
 * controller's key that the client itself works, so the refusals are the controllers'.
 */
public final class RaftIntruder {
  private final RaftGroupId groupId;
  private final Map<String, HostPort> controllers;
  private final Duration timeout;

  /**
   * @param group the Raft group's name (the controllers derive its id from it)
   * @param controllers controller id to Raft address
   * @param timeout how long one attempt on one controller may take
   */
  public RaftIntruder(String group, Map<String, HostPort> controllers, Duration timeout) {
    this.groupId = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("pharos:" + group).getBytes(StandardCharsets.UTF_8)));
    this.controllers = new LinkedHashMap<>(controllers);
    this.timeout = timeout;
  }

  /**
   * One attempt: whether any controller accepted the entry into its log, and what the last one said.
   *
   * @param how what the intruder brought
   * @param accepted whether a controller took the entry (a break-in)
   * @param detail the refusal (or the reply), per controller
   */
  public record Attempt(String how, boolean accepted, String detail, Duration took) {}

  /** The entry an intruder would like to commit: automation paused for ever. */
  public static byte[] pauseEntry(long term) {
    return JournalCodec.encode(new AutomationPaused("intruder", "owned by an outsider", 0, term,
        System.currentTimeMillis(), "intruder"));
  }

  /** Every attempt an outsider can make; {@code controllersCa} plays the insider of the wrong kind. */
  public List<Attempt> everyAttempt(TestPki.Authority controllersCa, byte[] entry) {
    return List.of(plaintext(entry), tlsWithoutCertificate(entry), foreignCertificate(entry),
        notAControllerCertificate(controllersCa, entry));
  }

  public Attempt plaintext(byte[] entry) {
    return attempt("plaintext", new Parameters(), entry);
  }

  public Attempt tlsWithoutCertificate(byte[] entry) {
    return attempt("TLS without a client certificate", tls(new GrpcTlsConfig((KeyManager) null, TRUST_ANY, false)),
        entry);
  }

  /** A certificate from the intruder's own CA, claiming to be the first controller. */
  public Attempt foreignCertificate(byte[] entry) {
    var first = controllers.entrySet().iterator().next();
    TestPki.Issued fake = TestPki.authority("intruder-ca (test-only)").issue(first.getKey(), first.getValue().host());
    return withCertificate("a certificate of another CA claiming to be " + first.getKey(), fake, entry);
  }

  /** A certificate of the controllers' CA whose identity is no controller of the group. */
  public Attempt notAControllerCertificate(TestPki.Authority controllersCa, byte[] entry) {
    String host = controllers.values().iterator().next().host();
    return withCertificate("a certificate of the controllers' CA naming no controller",
        controllersCa.issue("intruder", host), entry);
  }

  public Attempt withCertificate(String how, TestPki.Issued certificate, byte[] entry) {
    return attempt(how, tls(new GrpcTlsConfig(keyManager(certificate), TRUST_ANY, true)), entry);
  }

  private Attempt attempt(String how, Parameters parameters, byte[] entry) {
    long start = System.nanoTime();
    List<RaftPeer> peers = new ArrayList<>();
    controllers.forEach((id, at) -> peers.add(RaftPeer.newBuilder().setId(id).setAddress(at.toString()).build()));
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
    StringBuilder detail = new StringBuilder();
    boolean accepted = false;
    for (RaftPeer target : peers) {
      try (RaftClient client = RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(groupId, peers))
          .setProperties(p).setParameters(parameters).setLeaderId(target.getId())
          .setRetryPolicy(RetryPolicies.noRetry()).build()) {
        RaftClientReply reply = client.async().send(Message.valueOf(ByteString.copyFrom(entry)))
            .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        accepted |= reply.isSuccess();
        detail.append(target.getId()).append(": ").append(reply.isSuccess() ? "accepted"
            : "not accepted (" + reply.getException() + ")").append("; ");
      } catch (Exception e) {
        detail.append(target.getId()).append(": refused (").append(rootCause(e)).append("); ");
      }
    }
    return new Attempt(how, accepted, detail.toString().trim(), Duration.ofNanos(System.nanoTime() - start));
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + String.valueOf(t.getMessage()).lines().findFirst().orElse("");
  }

  private static Parameters tls(GrpcTlsConfig config) {
    Parameters parameters = new Parameters();
    GrpcConfigKeys.TLS.setConf(parameters, config);
    return parameters;
  }

  /**
   * Always presents {@code c}, whichever CAs the server says it accepts (a standard key manager
   * would send nothing when its certificate is not from one of them: the attack would not be made).
   */
  private static KeyManager keyManager(TestPki.Issued c) {
    X509Certificate[] chain = {c.certificate(), c.issuer().certificate()};
    return new X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
      }

      @Override
      public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return chain.clone();
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return c.key();
      }
    };
  }

  private static final String ALIAS = "intruder";

  /** The intruder trusts whatever server answers: a refusal can only be the server's. */
  private static final X509ExtendedTrustManager TRUST_ANY = new X509ExtendedTrustManager() {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  };
}
