package io.microgpt.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting as Python's {@code f"{x:.Nf}"} does it: the exact binary value, rounded half-even. */
final class PythonFormat {
    private PythonFormat() {
    }

    /** x with {@code digits} decimals, e.g. {@code fixed(3.36596, 4)} is {@code "3.3660"}. */
    static String fixed(double x, int digits) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String s = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        if (x < 0 || (x == 0 && 1 / x < 0)) {
            return s.startsWith("-") ? s : "-" + s;
        }
        return s;
    }
}
