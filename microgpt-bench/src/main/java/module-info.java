/**
 * The JMH benchmarks and the FMA-peak probe. Built into a shaded jar that JMH runs on the class path (where this
 * descriptor is not used); the backends are found at run time through core, never required here.
 */
@SuppressWarnings("requires-automatic")   // JMH's jar names no module: jmh.core is the name its file gives it
module io.microgpt.bench {
    requires io.microgpt.core;
    requires jdk.incubator.vector;   // FmaPeak
    requires java.management;
    requires jdk.management;   // TokenizerTimer: the process's CPU time
    requires jmh.core;
}
