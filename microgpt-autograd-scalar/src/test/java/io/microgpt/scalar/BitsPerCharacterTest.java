package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.tokenizer.BpeTokenizer;
import io.microgpt.core.tokenizer.BpeTrainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bits per character by hand: a BPE where "ab" is one token, so that a token holds two characters, on documents
 * and on a stream; and for characters, loss / ln 2.
 */
class BitsPerCharacterTest {
    private static final double LN2 = Math.log(2);
    /** "ab" merges first (4 occurrences), then nothing else pairs as often. */
    private static final BpeTokenizer AB = new BpeTrainer(257, false).train(List.of("abababab"));

    @Test
    void aDocumentOfOneTwoCharacterTokenIsItsBitsOverThreeCharacters() {
        int ab = AB.encode("ab")[0];
        assertArrayEquals(new int[] {ab}, AB.encode("ab"), "one token");
        TrainingData docs = Dataset.of("two documents", List.of("ab", "abb")).withTokenizer(AB, 0);
        try (TrainingRun run = TrainingRun.builder(docs).steps(3).seed(1).start()) {
            run.train(step -> { });
            int[] one = AB.encodeDocument("ab");    // BOS ab BOS: 2 predictions, "ab" (2 characters) and BOS (1)
            int[] two = AB.encodeDocument("abb");   // BOS ab b BOS: 3 predictions, 2 + 1 + 1 characters
            double lossOne = run.meanLoss(new int[][] {one});
            double lossTwo = run.meanLoss(new int[][] {two});
            // per document: its mean loss x predictions, in bits, over its characters; averaged over the documents
            double expected = (lossOne * 2 / LN2 / 3 + lossTwo * 3 / LN2 / 4) / 2;
            double mean = run.meanLoss(new int[][] {one, two});
            assertEquals(expected, run.bitsPerCharacter(new int[][] {one, two}, mean), 1e-12);
        }
    }

    @Test
    void aStreamWindowIsItsBitsOverItsCharacters() {
        TrainingData stream = TextStream.of("ab", "ababababab" + "ababab").withTokenizer(AB, 0.5);
        try (TrainingRun run = TrainingRun.builder(stream).blockSize(2).steps(2).seed(1).validationFraction(0.5).start()) {
            run.train(step -> { });
            int[][] windows = run.validationSamples(10);
            for (int[] w : windows) assertEquals(3, w.length);
            double loss = run.meanLoss(windows);
            // every token is "ab": each window predicts 2 tokens of 2 characters
            assertEquals(loss * 2 * windows.length / LN2 / (4 * windows.length), run.bitsPerCharacter(windows, loss), 1e-12);
            assertEquals(loss / LN2 / 2, run.bitsPerCharacter(windows, loss), 1e-12);
        }
    }

    @Test
    void withCharactersItIsTheLossInBits() {
        try (TrainingRun run = TrainingRun.builder(Dataset.of("names", List.of("anna", "bob", "eve"))).steps(3).seed(1)
                .start()) {
            run.train(step -> { });
            int[][] docs = {run.tokenizer().encodeDocument("anna"), run.tokenizer().encodeDocument("bob")};
            double loss = run.meanLoss(docs);
            assertEquals(loss / LN2, run.bitsPerCharacter(docs, loss), 0.0);
        }
    }
}
