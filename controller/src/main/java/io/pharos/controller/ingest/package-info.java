/**
 * Where agents' reports come in: the Hazelcast listener on the report topics verifies each frame
 * there and then (size, key, MAC, replay, freshness) and queues only what passed, bounded in bytes
 * and per agent, for the decision thread; key rotations and what ingest alerts about.
 */
package io.pharos.controller.ingest;
