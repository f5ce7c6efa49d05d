package io.pharos.cli.operator;

/**
 * What {@code pharos} exits with, so that scripts and cron jobs can tell a refused token from a
 * controller that is down (README "Exit codes").
 */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** The controller answered with an error not listed below (400, 404, 429, 5xx), or a check failed. */
  public static final int FAILED = 1;
  /** Bad command line or config file: nothing was sent. */
  public static final int USAGE = 2;
  /** No controller answered (each one tried is named). */
  public static final int UNREACHABLE = 3;
  /** 401 (set PHAROS_TOKEN) or 403 (the token's role is too low). */
  public static final int AUTH = 4;
  /** 409: no acting leader answered (an election), or the state does not allow the call now. */
  public static final int CONFLICT = 5;
  /** {@code pharos drill list --check}: a scheduled drill is overdue. */
  public static final int DRILL_OVERDUE = 6;

  private ExitCodes() {}

  /** The exit code for a controller's answer. */
  static int of(ControllerTarget.Answer a) {
    return switch (a.status()) {
      case 200 -> OK;
      case 0 -> UNREACHABLE;
      case 401, 403 -> AUTH;
      case 409 -> CONFLICT;
      default -> FAILED;
    };
  }
}
