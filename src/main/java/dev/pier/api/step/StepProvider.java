package dev.pier.api.step;

/**
 * Makes the steps of one model platform. Registered for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/dev.pier.api.step.StepProvider}; a model whose {@code config.yaml} says
 * {@code platform: <platform()>} is then served by the step {@link #create} returns.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe (one provider serves
 * every model of its platform).
 */
public interface StepProvider {

    /** The {@code platform} value of config.yaml that selects this provider; letters, digits and '_'. */
    String platform();

    /**
     * Makes the step of one model version (called on a load thread; may read files from
     * {@link StepContext#modelDir()}). Throws {@link IllegalArgumentException} with a message naming the parameter
     * or file that is wrong; the version is then FAILED with that reason.
     */
    Step create(StepContext context);
}
