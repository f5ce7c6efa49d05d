package io.pharos.controller.raft;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides which certificates the Raft port (and this controller's Raft clients) accept: one that a
 * configured CA signed (the JDK's PKIX checks: chain, validity, key usage) <em>and</em> that
 * names a controller of this group, both ways. A controller's identity is the certificate's
 * subject CN, which must be a known controller id ({@link PeerIdentities}), and one of its subject
 * alternative names must be that controller's Raft host as configured (an IP address compared as
 * an address, a DNS name compared case-insensitively; no wildcards). So a certificate from
 * another CA, or one the same CA issued to something that is not a controller of this group, is
 * refused during the TLS handshake, before a single Raft message is read.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private final X509ExtendedTrustManager ca;
  private final PeerIdentities peers;
  private final Consumer<CertificateException> refused;

  /** @param refused told of every refused certificate (counted and logged by the caller) */
  PeerTrustManager(X509ExtendedTrustManager ca, PeerIdentities peers, Consumer<CertificateException> refused) {
    this.ca = ca;
    this.peers = peers;
    this.refused = refused;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    guard(() -> ca.checkClientTrusted(chain, authType), chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    guard(() -> ca.checkClientTrusted(chain, authType, socket), chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    guard(() -> ca.checkClientTrusted(chain, authType, engine), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    guard(() -> ca.checkServerTrusted(chain, authType), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    guard(() -> ca.checkServerTrusted(chain, authType, socket), chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    guard(() -> ca.checkServerTrusted(chain, authType, engine), chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return ca.getAcceptedIssuers();
  }

  private interface Check {
    void run() throws CertificateException;
  }

  private void guard(Check signedByCa, X509Certificate[] chain) throws CertificateException {
    try {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("no certificate presented");
      }
      try {
        signedByCa.run();
      } catch (CertificateException e) {
        throw new CertificateException("certificate " + subject(chain[0]) + " is not signed by the controllers' CA"
            + " (controllers.tls.caFile) or not valid now: " + e.getMessage(), e);
      }
      identify(chain[0], peers);
    } catch (CertificateException e) {
      refused.accept(e);
      throw e;
    }
  }

  /**
   * The controller id {@code cert} names, when it names a controller this one knows at its
   * configured Raft host.
   *
   * @throws CertificateException saying which rule it breaks
   */
  static String identify(X509Certificate cert, PeerIdentities peers) throws CertificateException {
    String id = commonName(cert);
    if (id == null) {
      throw new CertificateException("certificate " + subject(cert) + " has no CN: a controller's certificate names"
          + " its controller id as the subject CN");
    }
    String host = peers.hostOf(id).orElseThrow(() -> new CertificateException("certificate " + subject(cert)
        + " does not name a controller of this group (known: " + String.join(", ", peers.ids()) + ")"));
    List<String> sans = subjectAltNames(cert);
    if (!namesHost(sans, host)) {
      throw new CertificateException("certificate of controller " + id + " does not name its Raft host " + host
          + " among its subject alternative names " + sans);
    }
    return id;
  }

  static boolean namesHost(Collection<String> sans, String host) {
    InetAddress ip = literalAddress(host);
    for (String san : sans) {
      if (ip != null) {
        InetAddress other = literalAddress(san);
        if (other != null && other.equals(ip)) {
          return true;
        }
      } else if (san.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /** An IP address written literally, never resolved; null for a name. */
  private static InetAddress literalAddress(String s) {
    boolean v4 = s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    boolean v6 = s.indexOf(':') >= 0 && s.matches("[0-9a-fA-F:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static String commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }

  private static List<String> subjectAltNames(X509Certificate cert) throws CertificateException {
    List<String> out = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateException("unreadable subject alternative names in " + subject(cert), e);
    }
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        if (type == SAN_DNS || type == SAN_IP) {
          out.add(String.valueOf(san.get(1)));
        }
      }
    }
    return out;
  }

  private static String subject(X509Certificate cert) {
    return "'" + cert.getSubjectX500Principal().getName() + "'";
  }
}
