package io.pharos.agent.transport;

/**
 * Transport counters at one moment.
 *
 * @param sent frames the cluster acknowledged
 * @param buffered frames waiting (not counting one in flight)
 * @param dropped frames dropped because the buffer was full
 * @param publishFailures publications that failed or timed out (the frame was put back)
 * @param connected whether the client is connected to the controllers' cluster
 */
public record PublisherStats(long sent, int buffered, long dropped, long publishFailures, boolean connected) {}
