package dev.pier.serving.graph;

import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.repository.EnsembleScheduling;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An ensemble's steps, checked to form a graph that can run: every composing model exists, every step maps
 * each of its model's inputs and only real inputs and outputs, every tensor is produced exactly once (by an
 * ensemble input or one step), a producer's type and shape agree with each consumer's, and no step waits on
 * itself through a cycle. Each error names the step ({@code ensemble_scheduling.step[i]} and its model) and the
 * tensor. Immutable and pure: the composing models' signatures come from a {@link Signatures} lookup.
 */
public final class EnsembleGraph {

    /** The signature of a composing model at a version ({@code -1}: the one it serves); throws naming why not. */
    @FunctionalInterface
    public interface Signatures {
        ModelSignature of(String model, long version);
    }

    private final String ensemble;
    private final List<EnsembleScheduling.Step> steps;
    /** Ensemble tensor -> the step that produces it; absent for ensemble inputs. */
    private final Map<String, Integer> producer;

    private EnsembleGraph(String ensemble, List<EnsembleScheduling.Step> steps, Map<String, Integer> producer) {
        this.ensemble = ensemble;
        this.steps = steps;
        this.producer = producer;
    }

    public static EnsembleGraph check(
            String ensemble, ModelSignature signature, EnsembleScheduling scheduling, Signatures lookup) {
        List<EnsembleScheduling.Step> steps = scheduling.step();
        List<ModelSignature> models = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            EnsembleScheduling.Step s = steps.get(i);
            ModelSignature m;
            try {
                m = lookup.of(s.modelName(), s.modelVersion());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where(i, s) + ": " + e.getMessage(), e);
            }
            for (String in : s.inputMap().keySet()) {
                if (m.input(in).isEmpty()) {
                    throw new IllegalArgumentException(
                            where(i, s) + ": input_map names input '" + in + "', which model '" + s.modelName()
                                    + "' does not have; its inputs are " + names(m.inputs()));
                }
            }
            for (TensorSpec in : m.inputs()) {
                if (!s.inputMap().containsKey(in.name())) {
                    throw new IllegalArgumentException(where(i, s) + ": input '" + in.name() + "' of model '"
                            + s.modelName() + "' is not in input_map; every input needs an ensemble tensor");
                }
            }
            for (String out : s.outputMap().keySet()) {
                if (m.output(out).isEmpty()) {
                    throw new IllegalArgumentException(
                            where(i, s) + ": output_map names output '" + out + "', which model '" + s.modelName()
                                    + "' does not have; its outputs are " + names(m.outputs()));
                }
            }
            models.add(m);
        }

        // who produces each tensor: the ensemble's inputs, or exactly one step
        Map<String, String> producedBy = new HashMap<>();
        Map<String, TensorSpec> producedSpec = new HashMap<>();
        Map<String, Integer> producer = new HashMap<>();
        for (TensorSpec in : signature.inputs()) {
            producedBy.put(in.name(), "ensemble input '" + in.name() + "'");
            producedSpec.put(in.name(), in);
        }
        for (int i = 0; i < steps.size(); i++) {
            EnsembleScheduling.Step s = steps.get(i);
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.outputMap()).entrySet()) {
                String tensor = e.getValue();
                String here = where(i, s) + " output '" + e.getKey() + "'";
                String before = producedBy.putIfAbsent(tensor, here);
                if (before != null) {
                    throw new IllegalArgumentException("tensor '" + tensor + "' is produced twice: by " + before
                            + " and by " + here + "; every ensemble tensor needs exactly one producer");
                }
                producedSpec.put(tensor, models.get(i).output(e.getKey()).orElseThrow());
                producer.put(tensor, i);
            }
        }

        // every tensor read is produced, with the type and shape its reader expects
        for (int i = 0; i < steps.size(); i++) {
            EnsembleScheduling.Step s = steps.get(i);
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.inputMap()).entrySet()) {
                String tensor = e.getValue();
                String here = where(i, s) + " input '" + e.getKey() + "'";
                if (!producedBy.containsKey(tensor)) {
                    throw new IllegalArgumentException("tensor '" + tensor + "', read by " + here
                            + ", is produced by no step and is not an ensemble input; ensemble inputs are "
                            + names(signature.inputs()));
                }
                agree(
                        tensor,
                        producedBy.get(tensor),
                        producedSpec.get(tensor),
                        here,
                        models.get(i).input(e.getKey()).orElseThrow());
            }
        }
        for (TensorSpec out : signature.outputs()) {
            String here = "ensemble output '" + out.name() + "'";
            if (!producedBy.containsKey(out.name())) {
                throw new IllegalArgumentException(
                        "tensor '" + out.name() + "', the " + here + ", is produced by no step");
            }
            agree(out.name(), producedBy.get(out.name()), producedSpec.get(out.name()), here, out);
        }
        checkAcyclic(steps, producer);
        return new EnsembleGraph(ensemble, List.copyOf(steps), Map.copyOf(producer));
    }

    private static void agree(
            String tensor, String producer, TensorSpec produced, String consumer, TensorSpec expected) {
        if (produced.datatype() != expected.datatype() || !compatible(produced.shape(), expected.shape())) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + producer + " is " + produced.datatype()
                    + " "
                    + produced.shape() + " but " + consumer + " expects " + expected.datatype() + " " + expected.shape()
                    + " (-1 = any size)");
        }
    }

    /** Same rank, and every dimension equal where both are known. */
    static boolean compatible(Shape a, Shape b) {
        if (a.rank() != b.rank()) {
            return false;
        }
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) != Shape.DYNAMIC && b.dim(i) != Shape.DYNAMIC && a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    /** Depth-first search over "step reads a tensor another step writes"; a back edge is a cycle, reported in full. */
    private static void checkAcyclic(List<EnsembleScheduling.Step> steps, Map<String, Integer> producer) {
        int[] state = new int[steps.size()]; // 0 new, 1 on the path, 2 done
        for (int i = 0; i < steps.size(); i++) {
            if (state[i] == 0) {
                visit(i, steps, producer, state, new ArrayList<>(), new ArrayList<>());
            }
        }
    }

    private static void visit(
            int i,
            List<EnsembleScheduling.Step> steps,
            Map<String, Integer> producer,
            int[] state,
            List<Integer> path,
            List<String> via) {
        state[i] = 1;
        path.add(i);
        for (String tensor : new TreeSet<>(steps.get(i).inputMap().values())) {
            Integer from = producer.get(tensor);
            if (from == null) {
                continue;
            }
            if (state[from] == 1) {
                StringBuilder cycle = new StringBuilder();
                int start = path.indexOf(from);
                for (int k = start; k < path.size(); k++) {
                    String read = k + 1 < path.size() ? via.get(k) : tensor;
                    cycle.append(where(path.get(k), steps.get(path.get(k))))
                            .append(" reads tensor '")
                            .append(read)
                            .append("' from ");
                }
                cycle.append(where(from, steps.get(from)));
                throw new IllegalArgumentException(
                        "the steps form a cycle: " + cycle + "; an ensemble must be a directed acyclic graph");
            }
            if (state[from] == 0) {
                via.add(tensor);
                visit(from, steps, producer, state, path, via);
                via.removeLast();
            }
        }
        path.removeLast();
        state[i] = 2;
    }

    public String ensemble() {
        return ensemble;
    }

    public List<EnsembleScheduling.Step> steps() {
        return steps;
    }

    /** The steps that must run to produce {@code outputs}: their producers and, transitively, those steps' inputs. */
    public BitSet needed(Collection<String> outputs) {
        BitSet needed = new BitSet(steps.size());
        List<String> todo = new ArrayList<>(outputs);
        while (!todo.isEmpty()) {
            Integer step = producer.get(todo.removeLast());
            if (step != null && !needed.get(step)) {
                needed.set(step);
                todo.addAll(steps.get(step).inputMap().values());
            }
        }
        return needed;
    }

    static String where(int index, EnsembleScheduling.Step s) {
        return "ensemble_scheduling.step[" + index + "] (model '" + s.modelName() + "'"
                + (s.followsServedVersion() ? "" : " version " + s.modelVersion()) + ")";
    }

    private static List<String> names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList();
    }
}
