package io.microgpt.core;

import java.util.function.Function;

/**
 * The shape of a GPT: vocabulary, width, heads, depth, context length and the spread of the initial weights.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param vocabSize number of token ids, including BOS
 * @param nEmbd     embedding width
 * @param nHead     attention heads; must divide {@code nEmbd}
 * @param nLayer    transformer blocks; 0 leaves embeddings, norm and lm_head (the reference runs that too)
 * @param blockSize the longest context, in tokens
 * @param initStd   standard deviation of the Gaussian initial weights
 */
public record ModelConfig(int vocabSize, int nEmbd, int nHead, int nLayer, int blockSize, double initStd) {

    /** The reference's embedding width. */
    public static final int DEFAULT_N_EMBD = 16;
    /** The reference's attention heads. */
    public static final int DEFAULT_N_HEAD = 4;
    /** The reference's layers. */
    public static final int DEFAULT_N_LAYER = 1;
    /** The reference's context length. */
    public static final int DEFAULT_BLOCK_SIZE = 16;
    /** The reference's initial weight spread. */
    public static final double DEFAULT_INIT_STD = 0.08;

    /** Validates every value; throws {@link MicrogptException} naming the first one that is wrong. */
    public ModelConfig {
        requirePositive("vocab size", vocabSize);
        if (vocabSize < 2) {
            throw new MicrogptException("vocab size " + vocabSize + " is too small: the dataset needs at least one character besides BOS");
        }
        checkShape(nEmbd, nHead, nLayer, blockSize, Setting::described);
        if (!(initStd > 0) || Double.isInfinite(initStd)) {
            throw new MicrogptException("init std " + initStd + " must be a positive finite number");
        }
    }

    /**
     * The rules of a model's shape: width, heads and context positive, layers 0 or more, heads dividing the width.
     * Throws a {@link MicrogptException} naming the first setting that is wrong as {@code name} calls it.
     */
    public static void checkShape(int nEmbd, int nHead, int nLayer, int blockSize, Function<Setting, String> name) {
        requirePositive(name.apply(Setting.N_EMBD), nEmbd);
        requirePositive(name.apply(Setting.N_HEAD), nHead);
        if (nLayer < 0) throw new MicrogptException(name.apply(Setting.N_LAYER) + " must be 0 or more, got " + nLayer);
        requirePositive(name.apply(Setting.BLOCK_SIZE), blockSize);
        if (nEmbd % nHead != 0) {
            throw new MicrogptException(name.apply(Setting.N_EMBD) + " " + nEmbd + " is not divisible by " + name.apply(Setting.N_HEAD)
                    + " " + nHead + " (head size must be whole)");
        }
    }

    /** The reference configuration (n_embd 16, 4 heads, 1 layer, block 16) for the given vocabulary. */
    public static ModelConfig reference(int vocabSize) {
        return new ModelConfig(vocabSize, DEFAULT_N_EMBD, DEFAULT_N_HEAD, DEFAULT_N_LAYER, DEFAULT_BLOCK_SIZE, DEFAULT_INIT_STD);
    }

    /** Width of one attention head. */
    public int headDim() {
        return nEmbd / nHead;
    }

    /** Width of the MLP's hidden layer (4 x n_embd, as in GPT-2). */
    public int mlpDim() {
        return 4 * nEmbd;
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new MicrogptException(name + " must be positive, got " + value);
        }
    }
}
