/**
 * Files read and written safely: {@link io.microgpt.core.files.InputFiles} opens what core reads (regular files
 * only, bounded), {@link io.microgpt.core.files.OutputFile} checks a target before anything is written,
 * {@link io.microgpt.core.files.AtomicFile} replaces a file all at once, and {@link io.microgpt.core.files.SaveLock}
 * is a run's advisory lock on its checkpoint. Used by core's data and checkpoints and by the CLI (the only module
 * this package is exported to).
 */
package io.microgpt.core.files;
