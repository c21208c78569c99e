package io.microgpt.core;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * The project's one random source: a Mersenne Twister (MT19937) that draws exactly what Python's
 * {@code random} module draws for the calls the reference uses, so that a seeded run here is the seeded run
 * of {@code microgpt.py}.
 *
 * <p>Facts it follows (CPython's {@code _randommodule.c} and {@code random.py}): {@code seed(n)} seeds with
 * {@code init_by_array} on the 32-bit words of |n|; {@code random()} joins 27 and 26 high bits of two outputs
 * into 53; {@code gauss} is Box-Muller keeping the second value for the next call; {@code shuffle} is
 * Fisher-Yates from the end with {@code _randbelow} (take bit_length(n) high bits, reject values &ge; n);
 * {@code choices} bisects {@code random() * total} in the running sums of the weights.
 *
 * <p>Not thread-safe.
 */
public final class PyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;
    private static final double TWO_PI = 2.0 * Math.PI;

    private final int[] mt = new int[N];
    private int index;
    private boolean hasGaussNext;
    private double gaussNext;

    /** Seeds as Python's {@code random.seed(seed)} does for an integer. */
    public PyRandom(long seed) {
        this(BigInteger.valueOf(seed));
    }

    /**
     * Seeds as Python's {@code random.seed(seed)} does for an integer of any size: {@code init_by_array} on the
     * 32-bit words of |seed|, least significant first (one word 0 for seed 0).
     */
    public PyRandom(BigInteger seed) {
        BigInteger magnitude = seed.abs();
        int[] key = new int[Math.max(1, (magnitude.bitLength() + 31) / 32)];
        for (int i = 0; i < key.length; i++) key[i] = magnitude.shiftRight(32 * i).intValue();
        initByArray(key);
    }

    private PyRandom(State state) {
        setState(state);
    }

    /** Restores a generator from {@link #state()}. */
    public static PyRandom fromState(State state) {
        return new PyRandom(state);
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) j = 0;
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
        hasGaussNext = false;
    }

    /** The next 32 random bits, as an unsigned value in an int. */
    int nextInt32() {
        if (index >= N) twist();
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }

    /** A double in [0, 1) with 53 random bits, as Python's {@code random()}. */
    public double random() {
        long a = Integer.toUnsignedLong(nextInt32()) >>> 5;
        long b = Integer.toUnsignedLong(nextInt32()) >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** The top {@code k} of 32 random bits (1 &le; k &le; 32), as Python's {@code getrandbits(k)}. */
    long getRandBits(int k) {
        if (k < 1 || k > 32) throw new IllegalArgumentException("k must be in 1..32, got " + k);
        return Integer.toUnsignedLong(nextInt32()) >>> (32 - k);
    }

    /** A uniform integer in [0, n), as Python's {@code _randbelow}; n must be in 1..2^31-1. */
    public int randBelow(int n) {
        if (n <= 0) throw new IllegalArgumentException("n must be positive, got " + n);
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = getRandBits(k);
        while (r >= n) r = getRandBits(k);
        return (int) r;
    }

    /** A normal deviate, as Python's {@code gauss(mu, sigma)} (including its cached second value). */
    public double gauss(double mu, double sigma) {
        double z;
        if (hasGaussNext) {
            z = gaussNext;
            hasGaussNext = false;
        } else {
            double x2pi = random() * TWO_PI;
            double g2rad = Math.sqrt(-2.0 * Math.log(1.0 - random()));
            z = Math.cos(x2pi) * g2rad;
            gaussNext = Math.sin(x2pi) * g2rad;
            hasGaussNext = true;
        }
        return mu + z * sigma;
    }

    /** Shuffles in place, as Python's {@code shuffle}. */
    public <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = randBelow(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }

    /**
     * Index drawn with probability proportional to {@code weights[i]}, as Python's
     * {@code choices(range(len(weights)), weights=weights)[0]}: running sums, then a right bisection of
     * {@code random() * total} over the first {@code n - 1} of them.
     *
     * @param weights    non-negative weights; only the first {@code count} are used
     * @param count      how many weights
     * @param cumulative scratch of at least {@code count} entries for the running sums
     */
    public int choice(double[] weights, int count, double[] cumulative) {
        double running = 0;
        for (int i = 0; i < count; i++) {
            running = i == 0 ? weights[0] : running + weights[i];
            cumulative[i] = running;
        }
        double total = cumulative[count - 1] + 0.0;
        if (!(total > 0.0)) throw new MicrogptException("the weights of a random choice must add up to more than zero");
        if (Double.isInfinite(total)) throw new MicrogptException("the weights of a random choice must add up to a finite number");
        double x = random() * total;
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x < cumulative[mid]) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** The generator's full state, to be restored with {@link #fromState(State)}. */
    public State state() {
        return new State(mt.clone(), index, hasGaussNext, gaussNext);
    }

    private void setState(State state) {
        if (state.words().length != N) {
            throw new MicrogptException("random state must hold " + N + " words, got " + state.words().length);
        }
        if (state.index() < 0 || state.index() > N) {
            throw new MicrogptException("random state index must be in 0.." + N + ", got " + state.index());
        }
        System.arraycopy(state.words(), 0, mt, 0, N);
        index = state.index();
        hasGaussNext = state.hasGaussNext();
        gaussNext = state.gaussNext();
    }

    /**
     * A snapshot of the generator: the 624 words, the position in them, and the cached Gaussian.
     *
     * @param words        the MT19937 state words
     * @param index        the next word to temper (624: twist first)
     * @param hasGaussNext whether a second Box-Muller value is cached
     * @param gaussNext    the cached value (meaningless when {@code hasGaussNext} is false)
     */
    public record State(int[] words, int index, boolean hasGaussNext, double gaussNext) {
        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(words, s.words) && index == s.index
                    && hasGaussNext == s.hasGaussNext && Double.compare(gaussNext, s.gaussNext) == 0;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(words) * 31 + index;
        }

        @Override
        public String toString() {
            return "PyRandom.State[index=" + index + ", hasGaussNext=" + hasGaussNext + "]";
        }
    }
}
