package io.pharos.controller.raft;

import io.pharos.core.config.ControllersConfig;
import java.io.File;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/** Mutual TLS for every Raft channel (server, client, admin) from the configured PEM files. */
final class RaftTls {
  private RaftTls() {}

  /** The parameters every Raft server and client of this controller is built with (TLS when configured). */
  static Parameters parameters(ControllersConfig controllers) {
    Parameters parameters = new Parameters();
    if (controllers.tls() != null) {
      GrpcConfigKeys.TLS.setConf(parameters, config(controllers.tls()));
    }
    return parameters;
  }

  static GrpcTlsConfig config(ControllersConfig.Tls tls) {
    for (String[] f : new String[][] {{"certFile", tls.certFile()}, {"keyFile", tls.keyFile()},
        {"caFile", tls.caFile()}}) {
      if (!new File(f[1]).canRead()) {
        throw new RaftStartException("controllers.tls." + f[0] + ": cannot read " + f[1], null);
      }
    }
    return new GrpcTlsConfig(new File(tls.keyFile()), new File(tls.certFile()), new File(tls.caFile()), true);
  }
}
