package dev.pier.modelcontrol;

import dev.pier.repository.ModelNames;
import dev.pier.repository.ModelSource;
import dev.pier.repository.SourcedModel;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --model-control explicit}: the repository's models, filtered to those that were asked for (at start-up
 * with {@code --load-model}, later through the repository API). A scan still reads the disk afresh, so a
 * load picks up the versions present at that moment. Thread-safe.
 */
public final class ExplicitSource implements ModelSource {
    private final ModelSource repository;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();

    public ExplicitSource(ModelSource repository, Collection<String> initial) {
        this.repository = repository;
        initial.forEach(name -> wanted.add(ModelNames.requireValid(name)));
    }

    /** Every model in the repository, whether wanted or not (the repository index). */
    public List<SourcedModel> all() {
        return repository.scan();
    }

    public void want(String model) {
        wanted.add(model);
    }

    public void drop(String model) {
        wanted.remove(model);
    }

    public boolean isWanted(String model) {
        return wanted.contains(model);
    }

    @Override
    public List<SourcedModel> scan() {
        return repository.scan().stream().filter(m -> wanted.contains(m.name())).toList();
    }
}
