package io.microgpt.simd;

/**
 * How a batch is cut, from its documents' lengths and the shape only (never from the thread count): into
 * chunks of whole documents, what {@link BatchBuffers} hold at once (at most {@link #chunkRows} rows, so the
 * activations stay within a working-set budget), and each chunk into parts, the units whose weight gradients
 * are summed in registers ({@link RowParts}). A batch within one chunk is cut into at most {@link #MAX_PARTS}
 * parts of near equal rows at document starts (the cut threads took whole, shard by shard, before chunks
 * existed: its bits are today's); a longer batch is cut into chunks of as many whole documents as fit, one
 * part each.
 */
final class BatchCut {
    /** At most this many parts in a batch that fits one chunk. */
    static final int MAX_PARTS = 4;

    /** Rows a chunk holds at most (at least one block: every document fits one chunk). */
    final int chunkRows;
    private int[] chunkStart = new int[2];
    private int chunks;
    /** Row boundaries of the parts of a batch that fits one chunk (relative to its first row). */
    private final int[] partStart = new int[MAX_PARTS + 1];
    private int parts;

    BatchCut(int chunkRows) {
        this.chunkRows = chunkRows;
    }

    /**
     * Cuts a batch whose documents train on {@code rows[d]} rows each (rows of {@link BatchBuffers#rowsFor}),
     * {@code total} rows in all.
     */
    void cut(int[] rows, int documents, int total) {
        if (chunkStart.length < documents + 1) chunkStart = new int[documents + 1];
        chunkStart[0] = 0;
        if (total <= chunkRows) {
            chunks = 1;
            chunkStart[1] = documents;
            cutIntoParts(rows, documents, total);
            return;
        }
        chunks = 0;
        int used = 0;
        for (int d = 0; d < documents; d++) {
            if (used + rows[d] > chunkRows && used > 0) {
                chunkStart[++chunks] = d;
                used = 0;
            }
            used += rows[d];
        }
        chunkStart[++chunks] = documents;
        parts = 1;
    }

    /** Part boundaries at document starts, near equal shares of the rows; empty parts left out. */
    private void cutIntoParts(int[] rows, int documents, int total) {
        int count = Math.min(documents, MAX_PARTS);
        parts = 0;
        partStart[0] = 0;
        int d = 0;
        int row = 0;
        for (int s = 1; s < count; s++) {
            long target = (long) total * s / count;
            while (d < documents && row < target) row += rows[d++];
            if (row > partStart[parts] && row < total) partStart[++parts] = row;
        }
        partStart[++parts] = total;
    }

    /** Chunks of the last batch cut. */
    int chunks() {
        return chunks;
    }

    /** The first document of chunk c (c = {@link #chunks()}: the batch's document count). */
    int chunkStart(int c) {
        return chunkStart[c];
    }

    /** Sets {@code into} to chunk c's parts (rows relative to the chunk, which has {@code rows} rows). */
    void partsOf(int c, int rows, RowParts into) {
        into.addToFirst = c > 0;
        if (chunks > 1) {
            into.count = 1;
            into.start[0] = 0;
            into.start[1] = rows;
            return;
        }
        into.count = parts;
        System.arraycopy(partStart, 0, into.start, 0, parts + 1);
    }
}
