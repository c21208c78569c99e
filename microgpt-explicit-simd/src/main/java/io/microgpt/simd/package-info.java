/**
 * The fast backend, {@code simd}: {@link io.microgpt.simd.SimdBackend} opens a {@link io.microgpt.simd.SimdEngine}
 * that trains in f32 with hand-derived forward and backward passes ({@code SimdGpt}, {@code TransformerBlock},
 * {@code CausalAttention}, ...) on register-blocked kernels of the incubating Vector API ({@code Gemm}: the matrix
 * products; {@code VectorKernels}: the vector shape and vector maths), shared by worker threads. Found by core's
 * ServiceLoader; the kernel timers ({@code ProductTimer}, {@code AttentionTimer}, {@code WorkerPoolTimer}) and the
 * profile of a step by phase ({@code StepProfile}) are run by their main.
 *
 * <h2>Words</h2>
 * One word per idea, in the code and its comments:
 * <dl>
 * <dt>batch, document, row</dt>
 * <dd>A step trains a batch of documents; every position a document trains on is a row of the activation matrices
 * ({@code BatchBuffers}), a document's rows one after the other.</dd>
 * <dt>chunk</dt>
 * <dd>The whole documents whose rows the activation buffers hold at once; a long batch is run chunk by chunk
 * ({@code BatchCut}).</dd>
 * <dt>part</dt>
 * <dd>A range of a chunk's rows whose weight gradients are summed in registers and then added to the gradient once,
 * parts in order ({@code RowParts}). How a batch is cut into chunks and parts fixes the bits.</dd>
 * <dt>schedule</dt>
 * <dd>Who runs a step's work: one thread, threads taking whole parts, or threads sharing every phase
 * ({@code Schedule}). The schedule never changes the bits.</dd>
 * <dt>phase</dt>
 * <dd>A stage of a step's work. A phase schedule puts a barrier after each of its phases (each thread its share, then
 * all wait); the profile ({@code Phase}, {@code PhaseClock}) times finer ones: each norm, product, attention pass.</dd>
 * <dt>share</dt>
 * <dd>One thread's portion of a phase: a range of rows, of (document, head) pairs, of a weight gradient's outputs or
 * of the embeddings' columns ({@code Shares}).</dd>
 * <dt>pass</dt>
 * <dd>Forward or backward through the model, and nothing else.</dd>
 * <dt>panel</dt>
 * <dd>A run of 4 vectors of a weight matrix's columns (2 without the wide blocks), every row one after the other: the
 * layout the products read weights in ({@code Panels}).</dd>
 * <dt>block</dt>
 * <dd>A product's register block: the rows (or outputs) times vectors whose sums a kernel keeps in registers
 * (6 x 4, 4 x 4, ...).</dd>
 * <dt>tile</dt>
 * <dd>Attention's unit of keys and queries, processed in registers and L1 ({@code AttentionScratch}).</dd>
 * <dt>lane</dt>
 * <dd>One float of a vector; "in lane order" is left to right, as a plain loop adds.</dd>
 * </dl>
 */
package io.microgpt.simd;
