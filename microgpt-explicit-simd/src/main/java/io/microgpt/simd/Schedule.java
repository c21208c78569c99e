package io.microgpt.simd;

import io.microgpt.core.spi.AdamStep;

/**
 * One way to run a step's chunks: on one thread ({@link SerialSchedule}), with threads taking whole parts
 * ({@link PartSchedule}), or with threads sharing every phase ({@link PhaseSchedule}). Each owns its per-thread state
 * and its share of Adam; all give the same bits. Not thread-safe: the engine's thread calls it, one step at a time.
 */
interface Schedule {
    /**
     * Forward, loss (into b.rowLoss) and backward of one chunk ({@code rows} rows of b, cut into {@code parts}), its
     * weight gradients added into the gradient buffer (written by a part that does not add). {@code update} is the
     * step's Adam when this is a training step's last chunk (a schedule may apply it within the chunk), else null.
     */
    void chunk(BatchBuffers b, int rows, RowParts parts, AdamStep update);

    /** Ends the step: the gradient whole in the gradient buffer and, if {@code update} is not null, Adam applied. */
    void finish(AdamStep update);

    /** Bytes of what this schedule holds besides the engine's buffers and attention scratch (per-thread gradients). */
    long bytes();
}
