package dev.pier.tracing;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %traceId}: {@code " trace_id=<32 hex>"} on every log line written while serving a traced
 * request, empty otherwise. The id comes from the MDC (set where a request's work runs on a thread of its own)
 * or else from the request's Vert.x context (every event-loop callback of that request), so lines need no
 * change at the call site.
 */
public final class TraceIdConverter extends ClassicConverter {
    public static final String MDC_KEY = "trace_id";

    @Override
    public String convert(ILoggingEvent event) {
        String id = event.getMDCPropertyMap().get(MDC_KEY);
        if (id == null) {
            RequestTrace trace = RequestTrace.current();
            id = trace == null ? null : trace.traceId();
        }
        return id == null ? "" : " trace_id=" + id;
    }
}
