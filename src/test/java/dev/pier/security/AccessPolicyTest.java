package dev.pier.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.security.AccessPolicy.Access;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 14 item 1: every spelling that could mean the repository API needs the admin token; only exact health paths are open. */
class AccessPolicyTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v2/repository/index",
                "//v2/repository/index",
                "/v2//repository/index",
                "/v2/%72epository/index",
                "/v2/models/%2e%2e/repository/index",
                "/v2/models/x/../../repository/index",
                "/V2/Repository/index",
                "/v2/REPOSITORY/models/m/load",
                "/v2/repository;x=1/index",
                "/v2;a/repository/index",
                "/v2%2frepository/index",
                "/v2%2Frepository/models/m/unload",
                "/v2/models/%c0%ae%c0%ae/repository/index",
                "/v2%c0%afrepository/index",
                "/v2/./repository/index",
                "/%76%32/repository/index",
                "/v2/models/%252e%252e/repository/index",
                "/v2/models/..%2frepository/index",
                "/v2\\repository/index",
                "/../v2/repository/index",
                "/v2/repository"
            })
    void repositorySpellingsNeedTheAdminToken(String path) {
        assertThat(AccessPolicy.of(path)).as(path).isEqualTo(Access.ADMIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/health/live", "/v2/health/ready", "/metrics", "/grpc.health.v1.Health/Check"})
    void healthIsOpen(String path) {
        assertThat(AccessPolicy.of(path)).isEqualTo(Access.OPEN);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v2/models/m/infer",
                "//v2/health/live",
                "/v2/health/live/",
                "/V2/health/live",
                "/v2/health/%6cive",
                "/v2/models/repository/infer",
                "/inference.GRPCInferenceService/ModelInfer",
                "/v1/models/m:predict"
            })
    void everythingElseNeedsTheInferenceToken(String path) {
        assertThat(AccessPolicy.of(path)).as(path).isEqualTo(Access.INFERENCE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v2/openapi.json",
                "/v2/docs",
                "/v2/docs/assets/swagger-ui-bundle.js",
                "/v2/docs/assets/swagger-ui.css"
            })
    void theDocsNeedTheInferenceTokenUnlessPublic(String path) {
        assertThat(AccessPolicy.of(path)).as(path).isEqualTo(Access.INFERENCE);
        assertThat(AccessPolicy.of(path, false)).as(path).isEqualTo(Access.INFERENCE);
        assertThat(AccessPolicy.of(path, true)).as(path).isEqualTo(Access.OPEN);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v2/docs/assets/../../repository/index",
                "/v2/docs/assets/..%2f..%2frepository/index",
                "/v2/docs/assets/%2e%2e/%2e%2e/repository/index",
                "/v2/docs/assets/x;/../../../repository/index",
                "/v2/docs/assets/..\\..\\repository/index",
                "/v2/docs/assets//../../repository/index"
            })
    void publicDocsOpenNoSpellingOfTheRepositoryApi(String path) {
        assertThat(AccessPolicy.of(path, true)).as(path).isEqualTo(Access.ADMIN);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v2/docs/assets/",
                "/v2/docs/",
                "/v2/openapi.json/",
                "/V2/docs",
                "/v2/docs/assets/a/./b.js",
                "/v2/docs/assets/%61.js",
                "/v2/models/m/infer"
            })
    void publicDocsOpenOnlyTheDocsExactly(String path) {
        assertThat(AccessPolicy.of(path, true)).as(path).isEqualTo(Access.INFERENCE);
    }
}
