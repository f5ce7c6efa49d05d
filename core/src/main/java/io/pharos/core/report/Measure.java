package io.pharos.core.report;

/** A measured objective (RTO, RPO) against its target; {@code actualMs} null = not measured. */
public record Measure(String name, Long targetMs, Long actualMs, String basis, Boolean met, String note) {}
