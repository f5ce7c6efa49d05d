package io.pharos.dns.embedded;

/** How a query arrived; decides the answer size limit (UDP payload size, or none over TCP). */
enum Transport {
  UDP,
  TCP
}
