/**
 * The {@code microgpt} command line: {@link io.microgpt.cli.Main} and one picocli command per subcommand
 * ({@code train}, {@code sample}, {@code info}, {@code gradcheck}, {@code bench}, and {@code tokenizer} with its
 * own subcommands in {@code TokenizerCommand}), the option groups they share, the training session
 * ({@code TrainingSession}, {@code ResumedRun}, {@code SavePolicy}), the files a command reads and writes
 * ({@code RunFiles}), progress printers, the held-out loss ({@code HeldOutLoss}), reports and charts;
 * {@code sweep} lives in {@code io.microgpt.cli.sweep}. Wiring and presentation only: the library does the work,
 * and the backends are found at run time.
 */
package io.microgpt.cli;
