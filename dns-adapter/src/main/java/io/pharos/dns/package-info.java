/**
 * Where DNS changes are made. The reconciler talks to every DNS backend through {@link
 * io.pharos.dns.DnsProvider}: read what the provider serves, plan the smallest change, apply it
 * under a fencing token, wait until it is live. Providers hold no decision logic; they execute
 * weights decided in the core and refuse anything carrying a stale token.
 */
package io.pharos.dns;
