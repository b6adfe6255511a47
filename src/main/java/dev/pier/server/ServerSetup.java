package dev.pier.server;

import dev.pier.modelcontrol.ModelControlOptions;
import dev.pier.monitor.drift.DriftOptions;
import dev.pier.monitor.log.PredictionMonitoringOptions;
import dev.pier.security.SecurityOptions;
import dev.pier.serving.ServingOptions;
import dev.pier.tracing.TracingOptions;
import java.util.Objects;

/**
 * Everything {@link RunningServer#start(ServerSetup)} needs, one immutable value: what to serve and how to
 * batch it, the ports, shutdown timings, model control (none / poll / explicit), security, drift detection and
 * the prediction log / feedback, CORS, tracing. {@link #of} gives the defaults for all but the first two; the {@code with}
 * methods change one part each.
 */
public record ServerSetup(
        ServingOptions serving,
        ServerOptions network,
        ShutdownOptions shutdown,
        ModelControlOptions control,
        SecurityOptions security,
        DriftOptions drift,
        PredictionMonitoringOptions predictions,
        CorsOptions cors,
        TracingOptions tracing) {
    public ServerSetup {
        Objects.requireNonNull(serving, "serving");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(tracing, "tracing");
    }

    public static ServerSetup of(ServingOptions serving, ServerOptions network) {
        return new ServerSetup(
                serving,
                network,
                ShutdownOptions.defaults(),
                ModelControlOptions.defaults(),
                SecurityOptions.none(),
                DriftOptions.defaults(),
                PredictionMonitoringOptions.defaults(),
                CorsOptions.none(),
                TracingOptions.defaults());
    }

    public ServerSetup withShutdown(ShutdownOptions v) {
        return new ServerSetup(serving, network, v, control, security, drift, predictions, cors, tracing);
    }

    public ServerSetup withControl(ModelControlOptions v) {
        return new ServerSetup(serving, network, shutdown, v, security, drift, predictions, cors, tracing);
    }

    public ServerSetup withSecurity(SecurityOptions v) {
        return new ServerSetup(serving, network, shutdown, control, v, drift, predictions, cors, tracing);
    }

    public ServerSetup withDrift(DriftOptions v) {
        return new ServerSetup(serving, network, shutdown, control, security, v, predictions, cors, tracing);
    }

    public ServerSetup withCors(CorsOptions v) {
        return new ServerSetup(serving, network, shutdown, control, security, drift, predictions, v, tracing);
    }

    public ServerSetup withTracing(TracingOptions v) {
        return new ServerSetup(serving, network, shutdown, control, security, drift, predictions, cors, v);
    }

    public ServerSetup withPredictions(PredictionMonitoringOptions v) {
        return new ServerSetup(serving, network, shutdown, control, security, drift, v, cors, tracing);
    }
}
