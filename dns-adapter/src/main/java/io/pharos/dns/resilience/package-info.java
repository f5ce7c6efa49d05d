/**
 * What keeps a remote DNS provider's API calls polite and safe: a request budget shared per
 * account, capped exponential backoff with jitter, and a circuit breaker. Retries amplify
 * outages; every attempt here spends from the budget and is seen by the breaker.
 */
package io.pharos.dns.resilience;
