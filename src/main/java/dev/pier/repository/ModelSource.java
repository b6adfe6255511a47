package dev.pier.repository;

import java.util.List;

/**
 * A Source in TF Serving's sense: says which versions each model should serve. Stateless, so it can be
 * called again whenever the caller wants a fresh view (at start, or on each poll). One broken model never
 * hides the others: it is reported as {@link SourcedModel.Broken}. Implementations are thread-safe.
 */
public interface ModelSource {

    /** Every model this source knows, sorted by name. */
    List<SourcedModel> scan();
}
