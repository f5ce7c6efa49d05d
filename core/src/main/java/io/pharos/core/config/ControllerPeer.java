package io.pharos.core.config;

/**
 * One controller of the quorum.
 *
 * @param id stable Raft peer id
 * @param region the region it runs in
 * @param raft Raft (gRPC) address
 * @param hazelcast Hazelcast member address agents and other members connect to
 * @param api admin/status HTTP address
 * @param dns address the embedded DNS server listens on (UDP and TCP)
 */
public record ControllerPeer(
    String id, String region, HostPort raft, HostPort hazelcast, HostPort api, HostPort dns) {}
