package io.pharos.controller.http.auth;

import io.pharos.core.api.Role;

/**
 * Who made an authenticated call: the token's name (the identity the audit chain records), its
 * role, and its own rate limit.
 *
 * @param perMinute calls this caller may make per minute
 * @param breakGlass whether the caller holds a break-glass session instead of a token
 */
public record Caller(String name, Role role, int perMinute, boolean breakGlass) {}
