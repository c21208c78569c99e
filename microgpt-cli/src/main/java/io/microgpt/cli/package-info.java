/**
 * The {@code microgpt} command line: {@link io.microgpt.cli.Main} and one picocli command per subcommand
 * ({@code train}, {@code sample}, {@code info}, {@code gradcheck}, {@code bench}), the option groups they share,
 * the training session ({@code TrainingSession}, {@code ResumedRun}, {@code SavePolicy}), progress printers,
 * reports and charts; {@code sweep} lives in {@code io.microgpt.cli.sweep}. Wiring and presentation only: the
 * library does the work, and the backends are found at run time.
 */
package io.microgpt.cli;
