package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.checkpoint.CheckpointCodec;
import io.microgpt.core.spi.DType;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random mutations of a valid checkpoint: the reader either accepts the file or throws a
 * {@link MicrogptException}; nothing else escapes, nothing hangs, and no case allocates much more than the
 * file it reads.
 */
class CheckpointFuzzTest {
    private static final int CASES = 6000;
    /** Reading a valid file allocates about 3 x (8 / dtype bytes) x its data plus small objects; anything far above is a bug. */
    private static final long ALLOCATION_FACTOR = 16;
    private static final long ALLOCATION_SLACK = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void randomMutationsGiveOnlyMicrogptExceptions() throws Exception {
        byte[][] valid = new byte[2][];
        for (DType dtype : DType.values()) {
            Path file = dir.resolve(dtype + ".safetensors");
            CheckpointFixtures.checkpoint(true).write(file, dtype);
            valid[dtype.ordinal()] = Files.readAllBytes(file);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            SplittableRandom random = new SplittableRandom(2024);
            for (int i = 0; i < CASES; i++) {
                byte[] mutated = mutate(valid[i % 2], random);
                long before = threads.getCurrentThreadAllocatedBytes();
                try (CheckpointFixtures.BytesChannel channel = new CheckpointFixtures.BytesChannel(mutated)) {
                    CheckpointCodec.decode(channel, mutated.length);
                    outcomes[0]++;
                } catch (MicrogptException expected) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    throw new AssertionError("case " + i + " escaped with " + t, t);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated <= ALLOCATION_FACTOR * mutated.length + ALLOCATION_SLACK,
                        "case " + i + " allocated " + allocated + " bytes for a " + mutated.length + "-byte file");
            }
        });
        System.out.println("fuzz: " + CASES + " mutations, " + outcomes[0] + " still valid, " + outcomes[1] + " rejected");
        assertTrue(outcomes[1] > CASES / 2, "most mutations must be caught");
    }

    private static byte[] mutate(byte[] valid, SplittableRandom r) {
        int dataStart = CheckpointFixtures.dataStart(valid);
        byte[] b = valid.clone();
        switch (r.nextInt(7)) {
            case 0 -> { // flip a few bits anywhere
                for (int k = 1 + r.nextInt(4); k > 0; k--) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            case 1 -> { // flip a few bits in the header
                for (int k = 1 + r.nextInt(4); k > 0; k--) b[8 + r.nextInt(dataStart - 8)] ^= (byte) (1 << r.nextInt(8));
            }
            case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncate
            case 3 -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, r.nextInt(4) == 0 ? r.nextLong()
                    : dataStart - 8 + r.nextInt(-64, 64)); // forge the header length
            case 4 -> { // change a digit of the header (shapes, offsets, metadata numbers)
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    int at = 8 + r.nextInt(dataStart - 8);
                    if (b[at] >= '0' && b[at] <= '9') b[at] = (byte) ('0' + r.nextInt(10));
                }
            }
            case 5 -> { // replace a header byte with JSON punctuation
                byte[] punctuation = "{}[]\":,\\ -0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                b[8 + r.nextInt(dataStart - 8)] = punctuation[r.nextInt(punctuation.length)];
            }
            default -> { // delete a span of the header and fix the length to match
                int from = 8 + r.nextInt(dataStart - 8);
                int to = Math.min(dataStart, from + 1 + r.nextInt(40));
                byte[] cut = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, cut, 0, from);
                System.arraycopy(b, to, cut, from, b.length - to);
                ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putLong(0, dataStart - 8 - (to - from));
                b = cut;
            }
        }
        return b;
    }
}
