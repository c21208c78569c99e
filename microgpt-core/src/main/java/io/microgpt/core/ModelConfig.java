package io.microgpt.core;

/**
 * The shape of a GPT: vocabulary, width, heads, depth, context length and the spread of the initial weights.
 *
 * @param vocabSize number of token ids, including BOS
 * @param nEmbd     embedding width
 * @param nHead     attention heads; must divide {@code nEmbd}
 * @param nLayer    transformer blocks; 0 leaves embeddings, norm and lm_head (the reference runs that too)
 * @param blockSize the longest context, in tokens
 * @param initStd   standard deviation of the Gaussian initial weights
 */
public record ModelConfig(int vocabSize, int nEmbd, int nHead, int nLayer, int blockSize, double initStd) {

    /** The reference's initial weight spread. */
    public static final double DEFAULT_INIT_STD = 0.08;

    /** Validates every value; throws {@link MicrogptException} naming the first one that is wrong. */
    public ModelConfig {
        requirePositive("vocab size", vocabSize);
        if (vocabSize < 2) {
            throw new MicrogptException("vocab size " + vocabSize + " is too small: the dataset needs at least one character besides BOS");
        }
        requirePositive("n_embd", nEmbd);
        requirePositive("n_head", nHead);
        if (nLayer < 0) throw new MicrogptException("n_layer must be 0 or more, got " + nLayer);
        requirePositive("block_size", blockSize);
        if (nEmbd % nHead != 0) {
            throw new MicrogptException("n_embd " + nEmbd + " is not divisible by n_head " + nHead + " (head size must be whole)");
        }
        if (!(initStd > 0) || Double.isInfinite(initStd)) {
            throw new MicrogptException("init std " + initStd + " must be a positive finite number");
        }
    }

    /** The reference configuration (n_embd 16, 4 heads, 1 layer, block 16) for the given vocabulary. */
    public static ModelConfig reference(int vocabSize) {
        return new ModelConfig(vocabSize, 16, 4, 1, 16, DEFAULT_INIT_STD);
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
