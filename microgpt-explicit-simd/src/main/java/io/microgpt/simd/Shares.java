package io.microgpt.simd;

/** Where share t of n items begins when they are cut into near equal runs of whole units, one run per thread. */
final class Shares {
    private Shares() {
    }

    /**
     * The first item of share t of {@code shares} (share {@code shares} begins at n): t/shares of n rounded to a
     * multiple of {@code unit}, so that shares are whole kernel blocks (the last takes the remainder).
     */
    static int start(int n, int t, int shares, int unit) {
        if (t >= shares) return n;
        long units = (long) n * t / shares;
        return (int) Math.min(n, (units + unit / 2) / unit * unit);
    }
}
