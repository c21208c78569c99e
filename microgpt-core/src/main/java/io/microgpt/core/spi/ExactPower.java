package io.microgpt.core.spi;

/** {@code base^n} for an integer {@code n}, rounded correctly: square-and-multiply in double-double arithmetic. */
final class ExactPower {
    private ExactPower() {
    }

    /** base^n for n &ge; 0, with about 100 bits of working precision before the final rounding. */
    static double pow(double base, int n) {
        if (n < 0) throw new IllegalArgumentException("exponent must be non-negative, got " + n);
        double hi = 1;
        double lo = 0;
        double bHi = base;
        double bLo = 0;
        while (n > 0) {
            if ((n & 1) != 0) {
                // (hi + lo) *= (bHi + bLo), the product's rounding error recovered exactly with fma
                double p = hi * bHi;
                double e = Math.fma(hi, bHi, -p) + (hi * bLo + lo * bHi);
                hi = p + e;
                lo = e - (hi - p);
            }
            n >>>= 1;
            if (n > 0) {
                double p = bHi * bHi;
                double e = Math.fma(bHi, bHi, -p) + 2 * bHi * bLo;
                bHi = p + e;
                bLo = e - (bHi - p);
            }
        }
        return hi + lo;
    }
}
