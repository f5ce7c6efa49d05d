package io.pharos.core.journal;

import io.pharos.core.model.FencingToken;

/** A committed intent, its fencing token and its progress. */
public record IntentRecord(Intent intent, FencingToken token, IntentPhase phase) {
  IntentRecord withPhase(IntentPhase p) {
    return new IntentRecord(intent, token, p);
  }
}
