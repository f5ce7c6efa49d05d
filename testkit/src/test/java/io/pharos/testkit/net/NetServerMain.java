package io.pharos.testkit.net;

import io.pharos.testkit.FaultServer;

/** A fault server for network tests, started inside a namespace: {@code NetServerMain host port}. */
public final class NetServerMain {
  private NetServerMain() {}

  public static void main(String[] args) throws Exception {
    try (FaultServer s = new FaultServer(args[0], Integer.parseInt(args[1])).start()) {
      System.out.println("listening");
      Thread.sleep(120_000);
    }
  }
}
