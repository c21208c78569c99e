package io.microgpt.simd;

import java.util.Random;

/**
 * One {@link Gemm} matrix product at one of the model's linear-layer shapes, with random operands: what
 * {@link ProductTimer} times. {@code kernel}: {@code multiply} (out = a b, a [rows x depth], b [depth x width]: the
 * forward pass and the backward by the master weights), {@code outer} (dw = dy^T x, dy [rows x outputs], x [rows x
 * width]: the weight gradients, written) or {@code outer-add} (the same added into dw). {@code shape}: {@code depth
 * x width} for multiply, {@code outputs x width} for the outer products, e.g. at n_embd 384: 384x384 (q, k, v, wo),
 * 384x1536 and 1536x384 (fc1 and fc2, both directions). Not thread-safe: one cell per thread.
 */
final class ProductCell {
    final String kernel;
    final int rows;
    final int depth;
    final int width;
    final Matrix left;
    /** b (multiply) or x (outer products). */
    final Matrix right;
    /** b in panels (multiply) or dw (outer products, in panels). */
    final Panels panels;
    /** out (multiply). */
    final Matrix out;

    /**
     * Operands for {@code kernel} at {@code rows} rows and {@code shape} ({@code "384x1536"}), drawn from a seeded
     * generator; the width is padded to whole vectors.
     */
    ProductCell(String kernel, int rows, String shape) {
        if (!kernel.equals("multiply") && !kernel.equals("outer") && !kernel.equals("outer-add")) {
            throw new IllegalArgumentException("kernel " + kernel + ": use multiply, outer or outer-add");
        }
        String[] parts = shape.split("x");
        if (parts.length != 2) throw new IllegalArgumentException("shape " + shape + ": write it as depth x width, e.g. 384x1536");
        this.kernel = kernel;
        this.rows = rows;
        this.depth = Integer.parseInt(parts[0]);
        this.width = VectorKernels.padded(Integer.parseInt(parts[1]));
        Random random = new Random(1);
        left = random(random, rows, VectorKernels.padded(depth));
        if (kernel.equals("multiply")) {
            right = null;
            panels = randomPanels(random, depth, width);
            out = random(random, rows, width);
        } else {
            right = random(random, rows, width);
            panels = randomPanels(random, depth, width);
            out = null;
        }
    }

    private static Matrix random(Random random, int rows, int stride) {
        float[] data = new float[rows * stride];
        for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian() * 0.1f;
        return new Matrix(data, 0, stride);
    }

    private static Panels randomPanels(Random random, int rows, int width) {
        float[] data = new float[rows * width];
        for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian() * 0.1f;
        return new Panels(data, 0, rows, width);
    }

    /** FLOPs of one call: 2 per multiply-add, the width padded to whole vectors. */
    double flops() {
        return 2.0 * rows * depth * width;
    }

    /** One product. */
    void call() {
        switch (kernel) {
            case "multiply" -> Gemm.multiply(left, 0, rows, depth, panels, out, Gemm.Epilogue.STORE, null);
            case "outer" -> Gemm.outerProducts(left, 0, rows, depth, right, panels, false);
            default -> Gemm.outerProducts(left, 0, rows, depth, right, panels, true);
        }
    }
}
