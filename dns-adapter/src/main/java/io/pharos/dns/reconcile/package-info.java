/**
 * Reconciliation as reusable logic: compare what a provider serves with what the journal says,
 * report drift, repair it when policy says so, and narrow a batch the provider rejects down to
 * the offending record so the rest still goes through. The controller's leader loop drives it.
 */
package io.pharos.dns.reconcile;
