/**
 * {@code microgpt sweep} and {@code sweep-report}: a grid of {@code train} runs planned from a grid file
 * ({@code GridFile}, {@code Plan}), checked to fit the machine ({@code MemoryFit}), run each in a JVM of its own
 * ({@code ChildJvm}, {@code RunProcess}) a few at a time while a live table follows their logs, and summed up
 * from their metrics into a results file and a Pareto chart of loss against cost. Used by the CLI's
 * {@code Main} only.
 */
package io.microgpt.cli.sweep;
