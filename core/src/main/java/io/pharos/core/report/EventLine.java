package io.pharos.core.report;

/** One controller event in a report, with its time since the report's origin. */
public record EventLine(long at, Long sinceFaultMs, String type, String region, String code, String detail,
    String controller) {}
