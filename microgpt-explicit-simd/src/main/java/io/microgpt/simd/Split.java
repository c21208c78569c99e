package io.microgpt.simd;

/** Where thread t's share of n items begins when threads split them in near equal runs of whole units. */
final class Split {
    private Split() {
    }

    /**
     * The first item of share t of {@code threads} (share {@code threads} begins at n): t/threads of n rounded
     * to a multiple of {@code unit}, so that shares are whole kernel blocks (the last takes the remainder).
     */
    static int boundary(int n, int t, int threads, int unit) {
        if (t >= threads) return n;
        long units = (long) n * t / threads;
        return (int) Math.min(n, (units + unit / 2) / unit * unit);
    }
}
