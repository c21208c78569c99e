package io.microgpt.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A vector's lanes added left to right, ((v[0] + v[1]) + v[2]) + ..., as a plain loop adds them: the same bits on
 * every JDK ({@code reduceLanes(ADD)} leaves the order open). {@link #sumInOrder} is the plain loop, the oracle of the
 * others.
 */
final class LaneSums {
    private LaneSums() {
    }

    /**
     * Whether {@code reduceLanes(ADD)} already adds float lanes in lane order: on JDK 17 it does (its compiled
     * reduction is a chain of scalar adds, lane 0 first, and so is its interpreted one); JDK 25 adds them as a
     * tree. LaneSumsTest checks the choice against a plain loop on the JDK that runs it.
     */
    static final boolean REDUCE_IN_LANE_ORDER = Runtime.version().feature() == 17;

    /** Per thread, one vector's worth of floats: where {@link #sumInLaneOrder} spills a vector to add its lanes. */
    private static final ThreadLocal<float[]> LANE_SPILL = ThreadLocal.withInitial(() -> new float[VectorKernels.LANES]);

    /**
     * ((v[0] + v[1]) + v[2]) + ... + v[LANES - 1]: the lanes added one by one, in lane order, on every JDK, so
     * that a run gives the same bits on JDK 17 and 25 ({@code reduceLanes(ADD)} leaves the order open, and
     * JDK 25's tree gave another run from step 56 on). Where reduceLanes is in lane order
     * ({@link #REDUCE_IN_LANE_ORDER}) it is used; elsewhere the vector is spilled and its lanes added as
     * scalars, which measured about 8% slower per training step at n_embd 16 on JDK 17 (hence not used there).
     */
    static float sumInLaneOrder(FloatVector v) {
        return REDUCE_IN_LANE_ORDER ? v.reduceLanes(VectorOperators.ADD) : sumLanesOneByOne(v);
    }

    /** {@link #sumInLaneOrder} without reduceLanes: the vector spilled to this thread's array, its lanes added as scalars. */
    static float sumLanesOneByOne(FloatVector v) {
        float[] lanes = laneSpill();
        v.intoArray(lanes, 0);
        return sumInOrder(lanes);
    }

    /** This thread's array of {@link VectorKernels#LANES} floats to spill a vector into (callers spill, then {@link #sumInOrder}). */
    static float[] laneSpill() {
        return LANE_SPILL.get();
    }

    /** ((lanes[0] + lanes[1]) + lanes[2]) + ... + lanes[LANES - 1]: the plain loop. */
    static float sumInOrder(float[] lanes) {
        float sum = lanes[0];
        for (int i = 1; i < VectorKernels.LANES; i++) sum += lanes[i];
        return sum;
    }
}
