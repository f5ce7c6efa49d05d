package io.pharos.dns;

/**
 * The provider refused a batch as invalid (Route 53 InvalidChangeBatch/InvalidInput, an RFC 2136
 * FORMERR or NOTZONE): retrying the same batch cannot help. The reconciler bisects the batch to
 * find the record at fault, applies the rest and alerts with the record's name.
 */
public class InvalidChangeException extends DnsProviderException {
  public InvalidChangeException(String message, Throwable cause) {
    super(message, false, cause);
  }
}
