/** The reference backend: microgpt's scalar autograd in f64, provided as {@code scalar} to core's ServiceLoader. */
module io.microgpt.scalar {
    requires io.microgpt.core;

    provides io.microgpt.core.spi.Backend with io.microgpt.scalar.ScalarBackend;
}
