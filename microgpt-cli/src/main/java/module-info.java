/**
 * The {@code microgpt} command line: picocli commands over the library; the backends are found at run time
 * through core's ServiceLoader, so this module requires none of them.
 */
module io.microgpt.cli {
    requires io.microgpt.core;
    requires info.picocli;
    requires com.google.gson;
    requires java.management;   // the trap-limit check, the training timer's CPU time
    requires jdk.management;    // HotSpotDiagnosticMXBean
    requires jdk.unsupported;   // sun.misc.Signal, looked up reflectively for terminal resizes

    opens io.microgpt.cli to info.picocli;   // picocli sets the commands' option fields
    opens io.microgpt.cli.sweep to info.picocli;
}
