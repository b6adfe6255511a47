package dev.pier.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's soft heap target (HotSpot's {@code SoftMaxHeapSize}, which ZGC honours): the collector keeps the
 * heap near it, reusing memory that is already mapped and warm in the caches, and grows past it only under
 * pressure. Without it the heap of a busy server kept growing into fresh pages and page faults were 15 % of a
 * small request's CPU (docs/benchmarks.md, "Heap"). Set at run time rather than on the command line because a
 * fixed flag above the maximum heap (a small container) stops the JVM from starting: here the target is
 * {@code min(256 MB, maximum heap)}. A value the user set ({@code -XX:SoftMaxHeapSize}) is kept;
 * {@code -Dpier.heap.soft-max-mb=N} chooses another target, 0 none. Stateless.
 */
final class HeapTarget {
    private static final Logger LOG = LoggerFactory.getLogger(HeapTarget.class);
    static final long DEFAULT_MB = 256;

    private HeapTarget() {}

    /** Applies the target; returns the soft maximum in bytes now in force, or -1 when left to the JVM. */
    static long apply() {
        long mb = Long.getLong("pier.heap.soft-max-mb", DEFAULT_MB);
        if (mb <= 0) {
            return -1;
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption current = hotspot.getVMOption("SoftMaxHeapSize");
            VMOption.Origin origin = current.getOrigin();
            if (origin != VMOption.Origin.DEFAULT && origin != VMOption.Origin.ERGONOMIC) {
                return Long.parseLong(current.getValue()); // the user's choice (or set here before)
            }
            long target = Math.min(mb << 20, Runtime.getRuntime().maxMemory());
            hotspot.setVMOption("SoftMaxHeapSize", Long.toString(target));
            return target;
        } catch (RuntimeException e) {
            // another JVM (no such option, or not writeable): serving works the same, only without the target
            LOG.debug("soft heap target not set: {}", e.toString());
            return -1;
        }
    }
}
