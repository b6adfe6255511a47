package dev.pier.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.runtime.SessionOptions;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ModelConfigParserTest {

    private static ModelConfig parse(String yaml) {
        return ModelConfigParser.parse(yaml, "models/mnist/config.yaml");
    }

    private static String error(String yaml) {
        try {
            parse(yaml);
        } catch (InvalidModelConfigException e) {
            assertThat(e.getMessage()).startsWith("models/mnist/config.yaml: ");
            return e.getMessage();
        }
        throw new AssertionError("expected an error for:\n" + yaml);
    }

    @Test
    void readsATritonStyleConfig() {
        ModelConfig c = parse("""
                name: mnist
                platform: onnxruntime_onnx
                max_batch_size: 8
                input:
                  - name: x
                    data_type: TYPE_FP32
                    dims: [784]
                output:
                  - {name: y, data_type: TYPE_FP32, dims: [10], label_filename: labels.txt}
                version_policy: {latest: {num_versions: 2}}
                instance_group: [{count: 2, kind: KIND_CPU}]
                parameters:
                  intra_op_thread_count: {string_value: "2"}
                  inter_op_thread_count: {string_value: "3"}
                  enable_mem_arena: {string_value: "1"}
                optimization: {graph: {level: 1}}
                dynamic_batching:
                  max_queue_delay_microseconds: 500
                  preferred_batch_size: [4, 8]
                  default_queue_policy: {max_queue_size: 64}
                """);
        assertThat(c.name()).isEqualTo("mnist");
        assertThat(c.maxBatchSize()).isEqualTo(8);
        assertThat(c.input()).hasSize(1);
        assertThat(c.input().getFirst().dataType().dataType()).isEqualTo(DataType.FP32);
        assertThat(c.input().getFirst().shape()).contains(Shape.of(784));
        assertThat(c.output().getFirst().labelFilename()).isEqualTo("labels.txt");
        assertThat(c.versionPolicy().aspired(new TreeSet<>(java.util.List.of(1L, 2L, 3L))))
                .containsExactly(3L, 2L);
        assertThat(c.instanceGroup().getFirst().count()).isEqualTo(2);
        assertThat(c.sessionOptions()).isEqualTo(new SessionOptions(2, 3, SessionOptions.Optimization.EXTENDED));
        assertThat(c.parameters()).containsKey("enable_mem_arena");
        assertThat(c.batching().orElseThrow().preferredBatchSize()).containsExactly(4, 8);
        assertThat(c.batching().orElseThrow().maxQueueDelayMicroseconds()).isEqualTo(500L);
        assertThat(c.batching().orElseThrow().maxQueueSize()).isEqualTo(64);
    }

    @Test
    void acceptsBackendFormAllAndSpecificPoliciesAndEmptyFile() {
        assertThat(parse("backend: onnxruntime\nversion_policy: {all: {}}\n")
                        .versionPolicy()
                        .all())
                .isNotNull();
        assertThat(parse("version_policy: {specific: {versions: [1, 3]}}")
                        .versionPolicy()
                        .specific()
                        .versions())
                .containsExactly(1L, 3L);
        ModelConfig empty = parse("");
        assertThat(empty.maxBatchSize()).isZero();
        assertThat(empty.defaultModelFilename()).isEqualTo("model.onnx");
        assertThat(empty.sessionOptions()).isEqualTo(SessionOptions.defaults());
    }

    @Test
    void unknownFieldIsNamedWithItsPlaceAndTheKnownFields() {
        assertThat(error("max_batch_sise: 8"))
                .contains("unknown field 'max_batch_sise'")
                .contains("max_batch_size");
        assertThat(error("input: [{name: x, shape: [1]}]"))
                .contains("unknown field 'shape'")
                .contains("'input[0]'")
                .contains("dims");
    }

    @Test
    void wrongTypesNameTheFieldAndTheExpectedType() {
        assertThat(error("max_batch_size: eight"))
                .contains("field 'max_batch_size'")
                .contains("expected an integer")
                .contains("eight");
        assertThat(error("max_batch_size: 1.5"))
                .contains("field 'max_batch_size'")
                .contains("expected an integer");
        assertThat(error("input: {name: x}"))
                .contains("field 'input'")
                .contains("expected a list")
                .contains("a mapping");
        assertThat(error("input: [{name: x, dims: 3}]"))
                .contains("field 'input[0].dims'")
                .contains("expected a list");
        assertThat(error("input: [{name: x, data_type: FLOAT}]"))
                .contains("field 'input[0].data_type'")
                .contains("TYPE_FP32")
                .contains("FLOAT");
    }

    @Test
    void badVersionPoliciesAreNamed() {
        assertThat(error("version_policy: {latest: {num_versions: 0}}"))
                .contains("version_policy.latest.num_versions' must be >= 1");
        assertThat(error("version_policy: {latest: {}, all: {}}"))
                .contains("exactly one of 'latest', 'all' or 'specific'");
        assertThat(error("version_policy: {newest: {}}"))
                .contains("unknown field 'newest'")
                .contains("'version_policy'");
        assertThat(error("version_policy: {specific: {versions: []}}")).contains("at least one version");
    }

    @Test
    void otherInvalidValuesAreExplained() {
        assertThat(error("platform: tensorflow_savedmodel"))
                .contains("'platform'")
                .contains("onnxruntime_onnx")
                .contains("tensorflow_savedmodel");
        assertThat(error("max_batch_size: -1")).contains("'max_batch_size' must be >= 0");
        assertThat(error("parameters: {intra_op_thread_count: {string_value: many}}"))
                .contains("intra_op_thread_count")
                .contains("many");
        assertThat(error("optimization: {graph: {level: 5}}")).contains("optimization.graph.level");
        assertThat(error("instance_group: [{kind: KIND_GPU}]")).contains("KIND_CPU");
        assertThat(error("dynamic_batching: {max_queue_delay_microseconds: 100}"))
                .contains("needs 'max_batch_size' > 0");
        assertThat(error("input: [{name: x}, {name: x}]")).contains("'input' names a tensor twice");
        assertThat(error("output: [{name: y, label_filename: ../../etc/passwd}]"))
                .contains("label_filename");
        assertThat(error("name: a\nname: b")).contains("name");
        assertThat(error("name: 'unterminated")).contains("not valid YAML");
    }
}
