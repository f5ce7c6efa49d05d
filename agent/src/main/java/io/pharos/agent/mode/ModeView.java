package io.pharos.agent.mode;

import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.SignedModeRecord;

/**
 * What {@code GET /v1/mode} answers at one moment.
 *
 * @param region the agent's region
 * @param mode what applications in the region must do now
 * @param token token of the decision the answer rests on ({@code 0:0} before any record)
 * @param reason why, for people
 * @param leaseRemainingMillis how much longer the record is trusted without a renewal (0 when none
 *     or expired)
 * @param selfFenced true when the agent answers read-only on its own (no lease, or lease expired)
 *     rather than because the controllers said so
 * @param record the controllers' signed record the answer rests on (applications can verify it), or
 *     null before any
 */
public record ModeView(String region, Mode mode, FencingToken token, String reason, long leaseRemainingMillis,
    boolean selfFenced, SignedModeRecord record) {}
