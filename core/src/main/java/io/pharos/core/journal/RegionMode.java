package io.pharos.core.journal;

import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;

/** A region's decided mode and the token of the decision that set it. */
public record RegionMode(Mode mode, FencingToken token, String reason) {}
